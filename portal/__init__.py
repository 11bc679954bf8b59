"""Portal: the self-service web portal a supplier gives to its B2B customers.

Plugins import the hook marker from here, never from pluggy::

    from portal import hookimpl
"""

import pluggy

PROJECT = "portal"

hookimpl = pluggy.HookimplMarker(PROJECT)
"""Marker for hook implementations in plugins: ``@hookimpl``."""


def create_app(config=None):
    """Build the Flask application (see :func:`portal.app.create_app`)."""
    from portal.app import create_app as _create_app

    return _create_app(config)


__all__ = ["hookimpl", "create_app", "PROJECT"]
