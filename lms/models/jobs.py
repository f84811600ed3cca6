"""Background work people wait for (issuing, ZIPs), and e-mail waiting to be delivered."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.extensions import UTCDateTime, db, one_of, trigram_index, utcnow

JOB_STATUSES = ('queued', 'running', 'done', 'failed')
MESSAGE_STATUSES = ('pending', 'sent', 'failed')


class Job(db.Model):
    """One piece of long work started from a page, with its progress (done of total).

    The work itself runs on the task queue (lms.jobs); this row is what the page that
    started it reads while it runs, and what is left of it afterwards.
    """

    __tablename__ = 'jobs'
    __table_args__ = (one_of('status', JOB_STATUSES, 'status'),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: What the work is, e.g. 'issue_certificates' or 'certificates_zip'.
    kind: Mapped[str] = mapped_column(String(40))
    #: What it works on, e.g. {'offering_id': 7}.
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(10), default='queued')
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    #: What it produced, for the page to show: counts, serials, a file name.
    result: Mapped[dict | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey('users.id', ondelete='SET NULL'), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    created_by = relationship('User')

    @property
    def is_finished(self):
        return self.status in ('done', 'failed')

    @property
    def percent(self):
        return 100 if not self.total else min(100, round(100 * self.done / self.total))

    def __repr__(self):
        return f'<Job {self.id} {self.kind} {self.status} {self.done}/{self.total}>'


class OutboxMessage(db.Model):
    """An e-mail, written in the same transaction as the change it tells about.

    Rendered when it is written (in the recipient's language), so what is delivered, and
    delivered again on a resend, is exactly what was decided then. Delivery is the task
    queue's work, with retries and back-off (lms.notifications).
    """

    __tablename__ = 'outbox'
    __table_args__ = (
        one_of('status', MESSAGE_STATUSES, 'status'),
        Index('ix_outbox_status_next_attempt_at', 'status', 'next_attempt_at'),
        # The outbox page: newest first within a status.
        Index('ix_outbox_status_id', 'status', 'id'),
        trigram_index('ix_outbox_to_address_trgm', 'to_address'),
        trigram_index('ix_outbox_subject_trgm', 'subject'),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Which message it is: the template's name, e.g. 'application_received'.
    template: Mapped[str] = mapped_column(String(40), index=True)
    to_address: Mapped[str] = mapped_column(String(254), index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey('users.id', ondelete='SET NULL'), index=True
    )
    locale: Mapped[str] = mapped_column(String(5))
    subject: Mapped[str] = mapped_column(String(300))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default='pending')
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user = relationship('User')

    def __repr__(self):
        return f'<OutboxMessage {self.id} {self.template} {self.status}>'
