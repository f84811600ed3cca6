"""What the certificate authority stores: issued certificates and the public half of its keys.

It points at enrollments by table name only: certificates/ knows nothing about courses.
"""

import hashlib
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    and_,
    text,
)
from sqlalchemy.ext.hybrid import hybrid_method
from sqlalchemy.orm import Mapped, mapped_column, relationship

from certificates.serials import format_serial
from lms.extensions import UTCDateTime, db, one_of, trigram_index, utcnow

#: valid: in force (it may still have expired by date); revoked: withdrawn, with a reason;
#: superseded: replaced by a reissue, which points back at it.
CERTIFICATE_STATUSES = ('valid', 'revoked', 'superseded')
#: Why a certificate was revoked, as anyone who checks it is told; the words are
#: verification.revocation_category_label's. The admins' free-text detail is apart.
REVOCATION_CATEGORIES = ('issued_in_error', 'name_corrected', 'misconduct', 'duplicate', 'other')


def expired(valid_until, today):
    """Whether a certificate with this end of validity has expired on `today` (the
    academy's date): its last valid day is the end date itself."""
    return valid_until is not None and valid_until < today


class Certificate(db.Model):
    __tablename__ = 'certificates'
    __table_args__ = (
        one_of('status', CERTIFICATE_STATUSES, 'status'),
        one_of('revocation_category', REVOCATION_CATEGORIES, 'revocation_category'),
        CheckConstraint('verification_count >= 0', name='verification_count_not_negative'),
        # Issuing is idempotent: at most one valid certificate per enrollment.
        Index(
            'uq_certificates_one_valid_per_enrollment',
            'enrollment_id',
            unique=True,
            sqlite_where=text("status = 'valid'"),
            postgresql_where=text("status = 'valid'"),
        ),
        # Each certificate has a bit of its own in one of the status lists.
        UniqueConstraint('status_list', 'status_index'),
        # The version of a list (how many revoked, the latest when) read from the index.
        Index('ix_certificates_revocations', 'status_list', 'status', 'revoked_at'),
        # The admins' list, newest first, and part of a serial searched (stored upper-case).
        Index('ix_certificates_issued_at_id', 'issued_at', 'id'),
        trigram_index('ix_certificates_serial_trgm', 'serial'),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Normalised form: Crockford base32 without separators, check character last.
    serial: Mapped[str] = mapped_column(String(32), unique=True)
    enrollment_id: Mapped[int] = mapped_column(ForeignKey('enrollments.id'), index=True)
    #: The exact bytes of the claims that were signed (canonical JSON).
    claims_json: Mapped[str] = mapped_column(Text)
    #: The Open Badges 3.0 credential as a compact JWS (VC-JWT): the certificate's signature.
    credential_jws: Mapped[str] = mapped_column(Text)
    key_id: Mapped[str] = mapped_column(String(64))
    #: SHA-256 of the PDF exactly as issued (its bytes live in CertificatePdf).
    pdf_sha256: Mapped[str | None] = mapped_column(String(64), unique=True)
    issued_on: Mapped[date] = mapped_column(index=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    valid_until: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(20), default='valid')
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The public reason of a revocation: one of REVOCATION_CATEGORIES.
    revocation_category: Mapped[str | None] = mapped_column(String(20))
    #: The admins' own words on the revocation (the detail): never shown publicly.
    revocation_reason: Mapped[str | None] = mapped_column(String(500))
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey('certificates.id'), unique=True)
    #: Which revocation status list holds this certificate's bit (/status/<n>), and where
    #: in it (assigned at random).
    status_list: Mapped[int] = mapped_column(default=1, server_default='1')
    status_index: Mapped[int]
    verification_count: Mapped[int] = mapped_column(default=0)

    supersedes = relationship(
        'Certificate', remote_side=[id], backref=db.backref('superseded_by', uselist=False)
    )
    #: The issued file, in a table of its own: a scan of certificates never reads PDFs.
    pdf_file = relationship(
        'CertificatePdf', uselist=False, cascade='all, delete-orphan', passive_deletes=True
    )

    @property
    def pdf(self):
        """The PDF exactly as issued (None for a certificate issued without one); every
        download serves these bytes."""
        return self.pdf_file.content if self.pdf_file is not None else None

    @pdf.setter
    def pdf(self, content):
        self.pdf_file = None if content is None else CertificatePdf(content=content)

    def pdf_intact(self):
        """Whether the stored PDF still hashes to the SHA-256 recorded at issue."""
        content = self.pdf
        return content is not None and hashlib.sha256(content).hexdigest() == self.pdf_sha256

    @hybrid_method
    def is_expired(self, today):
        """Valid by status, but past its end of validity on `today` (also as SQL)."""
        return self.status == 'valid' and expired(self.valid_until, today)

    @is_expired.expression
    def is_expired(cls, today):
        return and_(cls.status == 'valid', cls.valid_until.is_not(None), cls.valid_until < today)

    @property
    def formatted_serial(self):
        """The serial as people read it: K7QM-3XWD-9P2F."""
        return format_serial(self.serial)

    def __repr__(self):
        return f'<Certificate {self.serial} {self.status}>'


class CertificatePdf(db.Model):
    """The bytes of an issued certificate's PDF, one row per certificate, apart from the
    row that describes it (a PDF is tens of kilobytes; lists of certificates need none)."""

    __tablename__ = 'certificate_pdfs'

    certificate_id: Mapped[int] = mapped_column(
        ForeignKey('certificates.id', ondelete='CASCADE'), primary_key=True
    )
    content: Mapped[bytes] = mapped_column(LargeBinary)


class SigningKey(db.Model):
    """The public half of an academy key; the private key lives only in CERTIFICATE_KEY_DIR."""

    __tablename__ = 'signing_keys'

    id: Mapped[int] = mapped_column(primary_key=True)
    kid: Mapped[str] = mapped_column(String(64), unique=True)
    public_key_pem: Mapped[str] = mapped_column(Text)
    #: The self-issued X.509 certificate that signs PDFs with this key.
    certificate_pem: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ArchiveCertificate(db.Model):
    """A certificate the academy issued on paper before this system, recorded from its
    archive (the import of past years). No PDF, no credential, no signature: only what the
    archive says was issued, to whom, for what. Verifiable by its number, as such.
    """

    __tablename__ = 'archive_certificates'
    __table_args__ = (CheckConstraint('hours IS NULL OR hours >= 0', name='hours_not_negative'),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The number printed on the paper certificate, as written (trimmed).
    number: Mapped[str] = mapped_column(String(60))
    #: The number as looked up: trimmed and case-folded (archive_key), unique.
    number_key: Mapped[str] = mapped_column(String(60), unique=True)
    enrollment_id: Mapped[int] = mapped_column(
        ForeignKey('enrollments.id', ondelete='CASCADE'), index=True
    )
    # What the paper certificate states, as the archive records it.
    holder_name_ka: Mapped[str] = mapped_column(String(200))
    holder_name_en: Mapped[str] = mapped_column(String(200))
    course_title_ka: Mapped[str] = mapped_column(String(300))
    course_title_en: Mapped[str] = mapped_column(String(300), default='')
    course_kind: Mapped[str] = mapped_column(String(20))
    hours: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    issued_on: Mapped[date]
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self):
        return f'<ArchiveCertificate {self.number}>'
