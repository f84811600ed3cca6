"""People: accounts with a role, their personal API tokens, and registrations waiting for
the link sent to their address."""

import hashlib
import secrets
from datetime import datetime

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import JSON, ForeignKey, Index, String, literal_column, text
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from lms.extensions import (
    UTCDateTime,
    db,
    one_of,
    trigram_expression_index,
    trigram_index,
    utcnow,
)

ROLES = ('admin', 'trainer', 'participant')
SECTORS = ('civil_servant', 'cso', 'citizen', 'other')
GENDERS = ('female', 'male', 'other')
LOCALES = ('ka', 'en')


class User(UserMixin, db.Model):
    __tablename__ = 'users'
    __table_args__ = (
        one_of('role', ROLES, 'role'),
        one_of('sector', SECTORS, 'sector'),
        one_of('gender', GENDERS, 'gender'),
        one_of('locale', LOCALES, 'locale'),
        # The people list's order, and where its pages start (lms.pagination.keyset_page).
        Index('ix_users_full_name_ka_id', 'full_name_ka', 'id'),
        # lms.search: part of a name in either script (certificates by their holder's
        # name); people by part of a name or an address read ix_users_search_trgm below.
        trigram_index('ix_users_full_name_ka_trgm', 'full_name_ka'),
        trigram_index('ix_users_full_name_en_trgm', 'full_name_en'),
        # Those waiting for their data to be erased: the admins' list and its count.
        Index(
            'ix_users_erasure_waiting',
            'erasure_requested_at',
            'id',
            postgresql_where=text('erasure_requested_at IS NOT NULL AND erased_at IS NULL'),
            sqlite_where=text('erasure_requested_at IS NOT NULL AND erased_at IS NULL'),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Always stored lower-case; it is the login.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    full_name_ka: Mapped[str] = mapped_column(String(200))
    full_name_en: Mapped[str] = mapped_column(String(200), index=True)
    role: Mapped[str] = mapped_column(String(20), default='participant', index=True)
    sector: Mapped[str] = mapped_column(String(20), default='other')
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey('organizations.id', ondelete='SET NULL'), index=True
    )
    position: Mapped[str | None] = mapped_column(String(200))
    gender: Mapped[str | None] = mapped_column(String(10))
    phone: Mapped[str | None] = mapped_column(String(40))
    #: The interface language the person chose last; None until they choose.
    locale: Mapped[str | None] = mapped_column(String(5))
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When the person proved the address is theirs (a link sent to it); None: not yet.
    #: Accounts made by the academy, and invited people who set a password, count as proved.
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Raised by logging out and by every change of password: a session names the version
    #: it began under (get_id), so raising it ends all of them (lms/sessions.py).
    session_version: Mapped[int] = mapped_column(default=0, server_default='0')
    #: When the academy last invited the person to set a password (None: never invited).
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When the person asked the academy to erase their personal data (lms/people/privacy.py).
    erasure_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When it was erased: the row stays, holding nothing that names the person, so that
    #: their certificates stay verifiable and the statistics keep counting what happened.
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organization = relationship('Organization', lazy='joined')

    # Flask-Login reads is_active; the column already provides it.

    @property
    def is_admin(self):
        return self.role == 'admin'

    @property
    def is_trainer(self):
        return self.role == 'trainer'

    def set_password(self, password):
        method = current_app.config.get('PASSWORD_HASH_METHOD', 'scrypt')
        self.password_hash = generate_password_hash(password, method=method)
        self.end_sessions()

    def end_sessions(self):
        """End every session of this person (at each one's next request)."""
        self.session_version = (self.session_version or 0) + 1

    def get_id(self):
        """What a session stores of its person: the id and the session version."""
        return f'{self.id}:{self.session_version or 0}'

    def check_password(self, password):
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    def name(self, locale):
        return self.full_name_en if locale == 'en' and self.full_name_en else self.full_name_ka

    def __repr__(self):
        return f'<User {self.id} {self.email}>'


#: What a search of people reads of a person: both names and the address in one text, a
#: line break between them (a search never holds one, lms.search.search_text, so nothing
#: is found across two of them). Written out once for the index and built from the
#: columns by `searched_text` for lms.search; the two must stay the same expression for
#: PostgreSQL to read the index (bench/search.py prints whether each search does).
SEARCHED_TEXT = "full_name_ka || '\n' || full_name_en || '\n' || email"


def searched_text(full_name_ka, full_name_en, email):
    """SEARCHED_TEXT of User (or an alias of it), as an expression for queries."""
    between = literal_column("'\n'", String)  # written out: the index holds no parameter
    return full_name_ka + between + full_name_en + between + email


# People by part of a name or an address (lms.search.people): one trigram index over the
# three, so that a search reads one index and each person once.
trigram_expression_index(User.__table__, 'ix_users_search_trgm', SEARCHED_TEXT)


def hash_token(token):
    """Tokens are long random strings, so one fast SHA-256 is enough to store them safely."""
    return hashlib.sha256(token.encode('utf-8')).hexdigest()


class ApiToken(db.Model):
    __tablename__ = 'api_tokens'

    PREFIX = 'lms_'

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey('users.id', ondelete='CASCADE'), index=True)
    #: SHA-256 of the token; the token itself is shown once and never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: The first characters of the token, so a person can tell their tokens apart.
    hint: Mapped[str] = mapped_column(String(12))
    name: Mapped[str] = mapped_column(String(100), default='')
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When it was last used, to the minute (lms.people.service.note_token_use).
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: After this the API refuses it (API_TOKEN_DAYS after it was made); None: never.
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user = relationship('User', backref=db.backref('api_tokens', passive_deletes=True))

    @classmethod
    def generate(cls, user, name='', expires_at=None):
        """A new token for `user`: returns (ApiToken, the plain token to show once)."""
        plain = cls.PREFIX + secrets.token_urlsafe(32)
        token = cls(
            user=user,
            token_hash=hash_token(plain),
            hint=plain[:10],
            name=name,
            expires_at=expires_at,
        )
        return token, plain

    def is_expired(self, now):
        return self.expires_at is not None and self.expires_at <= now


class PendingRegistration(db.Model):
    """What a person typed to register (or to apply as a newcomer), waiting until they open
    the link sent to the address: only then is the account made (lms/people/registration.py).

    Never an account: it cannot log in, is on no list and counts in no figure. One per
    address: registering again replaces it. Removed when the account is made, or by the
    daily job once it has expired.
    """

    __tablename__ = 'pending_registrations'

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stored lower-case, as accounts store it.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    #: The password typed, hashed as accounts' are; it becomes the account's.
    password_hash: Mapped[str] = mapped_column(String(255))
    full_name_ka: Mapped[str] = mapped_column(String(200))
    full_name_en: Mapped[str] = mapped_column(String(200))
    #: The rest of the account as typed: sector, organization_id, position, gender, phone.
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    #: A newcomer applying: the offering, and the application form's answers (checked).
    offering_id: Mapped[int | None] = mapped_column(
        ForeignKey('offerings.id', ondelete='CASCADE'), index=True
    )
    answers: Mapped[dict | None] = mapped_column(JSON)
    #: The language of the page the person registered on: their mail and account's.
    locale: Mapped[str] = mapped_column(String(5))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: The link's lifetime (REGISTRATION_HOURS) from the last registration with the address.
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)

    offering = relationship('Offering')

    def name(self, locale):
        return self.full_name_en if locale == 'en' and self.full_name_en else self.full_name_ka

    def __repr__(self):
        return f'<PendingRegistration {self.id} {self.email}>'
