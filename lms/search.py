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

from sqlalchemy import or_, select

from certificates import Certificate, has_valid_check, read_serial, serial_fragment
from lms.models import Enrollment, Organization, OutboxMessage, User

#: How much of what was typed a search reads. Longer than any name, title or e-mail anyone
#: types to find something, and since the search is "contains", a longer paste still finds
#: what its first characters find. It also keeps the LIKE pattern small: SQLite refuses
#: patterns over 50,000 bytes, so an unlimited paste would fail instead of finding nothing.
MAX_QUERY_LENGTH = 100
#: A whole address: something, one @, a domain with a dot; no spaces.
_ADDRESS = re.compile(r'[^@\s]+@[^@\s]+\.[^@\s]+')


def search_text(query):
    """The part of `query` a search uses: without outer spaces, at most MAX_QUERY_LENGTH
    characters; '' for None. List pages show this back in their search box."""
    return (query or '').strip()[:MAX_QUERY_LENGTH].strip()


def _escape(text):
    return text.replace('\\', '\\\\').replace('%', '\\%').replace('_', '\\_')


def contains(query, *columns):
    """A clause: any of `columns` contains `query` (as `search_text` reads it), ignoring
    case; % and _ match themselves. ILIKE is what the trigram indexes serve on PostgreSQL;
    on SQLite it is lower(column) LIKE lower(pattern)."""
    pattern = f'%{_escape(search_text(query))}%'
    return or_(*(column.ilike(pattern, escape='\\') for column in columns))


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
    address = email_address(query)
    if address:
        return User.email == address  # addresses are stored lower-case
    return contains(query, User.full_name_ka, User.full_name_en, User.email)


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
    holders = (
        select(Certificate.id)
        .join(Enrollment, Enrollment.id == Certificate.enrollment_id)
        .join(User, User.id == Enrollment.user_id)
    )
    address = email_address(query)
    if address:
        return Certificate.id.in_(holders.where(User.email == address))
    parts = [holders.where(contains(query, User.full_name_ka, User.full_name_en))]
    fragment = serial_fragment(search_text(query))
    if fragment:
        parts.append(select(Certificate.id).where(contains(fragment, Certificate.serial)))
    ids = parts[0] if len(parts) == 1 else parts[0].union(parts[1])
    return Certificate.id.in_(ids)


def organizations(query):
    """A clause on Organization: its Georgian or English name contains `query`."""
    return contains(query, Organization.name_ka, Organization.name_en)


def messages(query):
    """A clause on OutboxMessage: sent to this address (exactly, any case), or its address
    or subject contains `query`."""
    address = email_address(query)
    if address:
        return OutboxMessage.to_address.ilike(_escape(address), escape='\\')
    return contains(query, OutboxMessage.to_address, OutboxMessage.subject)
