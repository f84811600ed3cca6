"""The audit log: who changed what in a person's record, when, before and after."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.extensions import UTCDateTime, db, utcnow


class AuditEntry(db.Model):
    __tablename__ = 'audit_entries'
    __table_args__ = (Index('ix_audit_entries_object', 'object_type', 'object_id'),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: None for the system itself (imports, command line without a user).
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey('users.id', ondelete='SET NULL'), index=True
    )
    action: Mapped[str] = mapped_column(String(60), index=True)
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int | None]
    #: {'before': {...}, 'after': {...}} plus anything the action adds.
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    actor = relationship('User')
