"""The audit log: who changed what in a person's record, when, before and after."""

from datetime import datetime

from sqlalchemy import DDL, JSON, ForeignKey, Index, String, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.extensions import UTCDateTime, db, utcnow

#: The database's own guard (PostgreSQL): an entry is never changed or deleted. The one
#: change let through is the one the database makes itself when a person named as the
#: actor is erased (ON DELETE SET NULL): the entry stays, without the name.
APPEND_ONLY_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_entries_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.actor_id IS NOT NULL AND NEW.actor_id IS NULL
       AND NEW.id = OLD.id AND NEW.action = OLD.action
       AND NEW.object_type = OLD.object_type
       AND NEW.object_id IS NOT DISTINCT FROM OLD.object_id
       AND NEW.data::text = OLD.data::text AND NEW.created_at = OLD.created_at THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the audit log is append-only: % of an entry refused', TG_OP;
END
$$ LANGUAGE plpgsql
"""
APPEND_ONLY_TRIGGER = (
    'CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries '
    'FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()'
)


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


# Tables made by create_all (tests, a first start) get the guard too, as the migration adds it.
for _statement in (APPEND_ONLY_FUNCTION, APPEND_ONLY_TRIGGER):
    event.listen(
        AuditEntry.__table__,
        'after_create',
        DDL(_statement.replace('%', '%%')).execute_if(dialect='postgresql'),  # DDL formats %
    )
