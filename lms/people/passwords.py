"""What a new password must be: the one place that decides (pages, API and CLI alike).

Long enough, not too long, not the e-mail address, and not one of the passwords that
attackers try first. That list is lms/data/common-passwords.txt.gz: the 20,000 most
common passwords of leaked password dumps, lowercased and deduplicated, compiled by
Royce Williams (gist.github.com/roycewilliams/226886fd01572964e1431ac8afc999ce) and
shipped and kept up to date by Django (django/contrib/auth/common-passwords.txt.gz,
copied from Django 5.2.19), whose BSD-3-Clause licence covers it. To refresh it, copy the
file of a newer Django release over ours; nothing else changes.
"""

import functools
import gzip
from pathlib import Path

from flask_babel import lazy_gettext as _l

from lms.errors import Invalid

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 200
COMMON_PASSWORDS = Path(__file__).resolve().parents[1] / 'data' / 'common-passwords.txt.gz'


@functools.cache
def common_passwords():
    """The set of common passwords, lowercased (read once per process, about 20,000)."""
    with gzip.open(COMMON_PASSWORDS, 'rt', encoding='utf-8') as lines:
        return frozenset(line.strip() for line in lines if line.strip())


def is_common(password):
    """Whether `password`, ignoring case and surrounding spaces, is on the common list."""
    return (password or '').strip().lower() in common_passwords()


def check_new_password(password, field='password', *, email=None):
    """Refuse a new password that is too short or too long, the e-mail address (whole, or
    the part before the @), or a common password. Raises Invalid naming `field`, with
    words that say why; returns nothing."""
    if not password or len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid(fields={field: _l('At least %(n)d characters.', n=MIN_PASSWORD_LENGTH)})
    if len(password) > MAX_PASSWORD_LENGTH:
        raise Invalid(fields={field: _l('At most %(n)d characters.', n=MAX_PASSWORD_LENGTH)})
    address = (email or '').strip().lower()
    local = address.partition('@')[0]
    if address and password.strip().lower() in {address, local}:
        raise Invalid(fields={field: _l('Choose a password that is not your e-mail address.')})
    if is_common(password):
        raise Invalid(
            fields={
                field: _l(
                    'This is one of the most common passwords, which are tried first when '
                    'accounts are attacked. Choose another.'
                )
            }
        )
