"""Search, the same way on every list: what a search box reads, and the clauses that find
people, certificates, organisations and messages.

Three ways to find, chosen by the shape of what was typed:

- **an e-mail address** (``nino@example.ge``, any case): one indexed equality, no scan;
- **a certificate serial** in any spelling ``certificates.read_serial`` reads (case,
  spaces, hyphens, O for 0, a pasted link, the Georgian keyboard), with a right check
  character: one indexed equality on the certificates;
- **anything else**: "contains", ignoring case (``ILIKE '%text%'``; % and _ match
  themselves). On PostgreSQL the trigram indexes of pg_trgm (lms.extensions.trigram_index)
  answer it from the index once the text has three characters; on SQLite it reads the
  rows of the list, which is fine at the size a SQLite academy has (README, "Search").
"""

import re
from typing import ClassVar

from sqlalchemy import Boolean, String, bindparam, or_, select, union
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.expression import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal

from certificates import Certificate, has_valid_check, read_serial, serial_fragment
from lms.extensions import db
from lms.models import Enrollment, Organization, OutboxMessage, User
from lms.models.people import searched_text

#: How much of what was typed a search reads. Longer than any name, title or e-mail anyone
#: types to find something, and since the search is "contains", a longer paste still finds
#: what its first characters find. It also keeps the LIKE pattern small: SQLite refuses
#: patterns over 50,000 bytes, so an unlimited paste would fail instead of finding nothing.
MAX_QUERY_LENGTH = 100
#: A whole address: something, one @, a domain with a dot; no spaces.
_ADDRESS = re.compile(r'[^@\s]+@[^@\s]+\.[^@\s]+')
_CONTROL = re.compile(r'[\x00-\x1f\x7f]+')


def search_text(query):
    """The part of `query` a search uses: without outer spaces, at most MAX_QUERY_LENGTH
    characters, line breaks and other control characters read as spaces (a search box
    holds one line); '' for None. List pages show this back in their search box."""
    return _CONTROL.sub(' ', query or '').strip()[:MAX_QUERY_LENGTH].strip()


def _escape(text):
    return text.replace('\\', '\\\\').replace('%', '\\%').replace('_', '\\_')


class _ContainsText(ColumnElement):
    """`column` ILIKE `pattern` on PostgreSQL, where the trigram indexes serve it; plain
    LIKE on SQLite, whose LIKE already ignores the case of Latin letters (Georgian has no
    case to ignore) and which would otherwise call lower() on every row it reads."""

    inherit_cache = True
    type = Boolean()
    _traverse_internals: ClassVar = [
        ('column', InternalTraversal.dp_clauseelement),
        ('pattern', InternalTraversal.dp_clauseelement),
    ]

    def __init__(self, column, pattern):
        self.column = column
        self.pattern = bindparam(None, pattern, type_=String())


@compiles(_ContainsText)
def _contains_text(element, compiler, **kw):
    return compiler.process(element.column.ilike(element.pattern, escape='\\'), **kw)


@compiles(_ContainsText, 'sqlite')
def _contains_text_sqlite(element, compiler, **kw):
    return compiler.process(element.column.like(element.pattern, escape='\\'), **kw)


def contains(query, *columns):
    """A clause: any of `columns` contains `query` (as `search_text` reads it), ignoring
    case; % and _ match themselves."""
    pattern = f'%{_escape(search_text(query))}%'
    return or_(*(_ContainsText(column, pattern) for column in columns))


def _ids_containing(query, entity, *columns):
    """The ids of `entity` where any of `columns` contains `query`. On PostgreSQL one
    SELECT per column, united, so that each reads its column's trigram index (for an OR of
    several columns the planner would rather read the whole table); on SQLite, which has
    no such index, one pass over the table with an OR."""
    if db.session.get_bind().dialect.name != 'postgresql':
        return select(entity.id).where(contains(query, *columns))
    selects = [select(entity.id).where(contains(query, column)) for column in columns]
    return selects[0] if len(selects) == 1 else union(*selects)


def email_address(query):
    """The address, lower-case, when the whole of `query` is one; None otherwise."""
    text = search_text(query)
    return text.lower() if _ADDRESS.fullmatch(text) else None


def certificate_serial(query):
    """The stored form of the serial `query` spells, when it is a whole serial with a
    right check character; None otherwise."""
    serial = read_serial(search_text(query))
    return serial if serial and has_valid_check(serial) else None


def people(query):
    """A clause on User: the person with this e-mail address (exactly), or whose name in
    either script or whose address contains `query`."""
    return User.id.in_(_people_ids(query))


def person_found(query):
    """`people` as a test of one row: a function of User (or an alias of it) giving the
    clause, for a list that looks for a page among its next rows first
    (lms.pagination.keyset_page, `look_ahead`). None for a whole address, which one
    indexed equality finds at once."""
    if email_address(query):
        return None
    return lambda person: contains(
        query, searched_text(person.full_name_ka, person.full_name_en, person.email)
    )


def _people_ids(query):
    """The ids of the people `query` finds, as a subquery of its own: the database reads
    the matching people first (one trigram index over names and address on PostgreSQL,
    models.people.searched_text; one pass over the table on SQLite) instead of testing
    every row of a list walked in its own order."""
    person = aliased(User)
    address = email_address(query)
    if address:
        return select(person.id).where(person.email == address)  # stored lower-case
    return select(person.id).where(person_found(query)(person))


def certificates(query):
    """A clause on Certificate: the certificate with this serial (any spelling), those of
    the person with this address, or those whose holder's name contains `query` or whose
    serial contains it (4 characters or more of a serial).

    The name is the person's account as it is now, so a certificate issued under a
    misspelt name is found by the corrected one too. Each part selects certificate ids
    from its own index, so the database unites small sets instead of scanning.
    """
    serial = certificate_serial(query)
    if serial:
        return Certificate.serial == serial
    person = aliased(User)
    if email_address(query):
        found = _people_ids(query)
    else:
        found = _ids_containing(query, person, person.full_name_ka, person.full_name_en)
    # From the people found to their enrollments to those enrollments' certificates, each
    # step along an index.
    certificate = aliased(Certificate)
    holders = select(certificate.id).where(
        certificate.enrollment_id.in_(select(Enrollment.id).where(Enrollment.user_id.in_(found)))
    )
    fragment = serial_fragment(search_text(query))
    if fragment:
        serials = select(certificate.id).where(contains(fragment, certificate.serial))
        holders = holders.union(serials)
    return Certificate.id.in_(holders)


def organizations(query):
    """A clause on Organization: its Georgian or English name contains `query`."""
    return contains(query, Organization.name_ka, Organization.name_en)


def messages(query):
    """A clause on OutboxMessage: sent to this address (exactly; any case typed), or its
    address or subject contains `query`."""
    address = email_address(query)
    if address:
        return OutboxMessage.to_address == address  # written from the stored address
    message = aliased(OutboxMessage)
    return OutboxMessage.id.in_(
        _ids_containing(query, message, message.to_address, message.subject)
    )
