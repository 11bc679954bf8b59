"""First-party feature plugins, each discovered through the ``portal.plugins`` entry points."""
