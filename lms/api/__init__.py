"""JSON API v1 (API.md): thin over the same service functions as the pages.

Each resource module adds its routes to the one blueprint defined in base.py.
"""

from lms.api import (  # noqa: F401
    attendance,
    catalogue,
    certificates,
    consultations,
    enrollments,
    me,
    openapi,
    organizations,
    stats,
    users,
    verify,
)
from lms.api.base import bp

__all__ = ['bp']
