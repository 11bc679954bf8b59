"""The plugin's pages: customer views (``returns``) and staff views (``returns_staff``).

Importing this package registers every route on the two blueprints.
"""

from . import customer, files, staff  # noqa: F401 (routes)
from .blueprints import bp, staff_bp

__all__ = ["bp", "staff_bp"]
