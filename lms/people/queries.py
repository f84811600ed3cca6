"""Read side of people: who may be chosen where."""

from sqlalchemy import select

from lms.extensions import db
from lms.models import User


def trainers(current=()):
    """Active trainers, and whoever already teaches the offering (even an admin or a former
    trainer), so that editing an offering never drops a trainer silently."""
    people = db.session.scalars(
        select(User).where(User.role == 'trainer', User.is_active).order_by(User.full_name_ka)
    ).all()
    return people + [t for t in current if t not in people]
