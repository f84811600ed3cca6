"""Certificate serials: unguessable, easy to read aloud and type, with a check character.

A serial is 11 random Crockford base32 characters (55 bits from `secrets`) and one check
character from the same 32-symbol alphabet, computed with the Luhn mod N algorithm
(N = 32): it catches every single mistyped character and most swaps of two neighbours.
The database stores the normalised form ('K7QM3XWD9P2F'); people see it grouped
('K7QM-3XWD-9P2F'). Pure: no app, no database.
"""

import re
import secrets

#: Crockford's base32: digits and letters without I, L, O and U.
ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
DATA_LENGTH = 11
LENGTH = DATA_LENGTH + 1
#: Random bits in a serial (5 per data character).
SERIAL_BITS = 5 * DATA_LENGTH

_N = len(ALPHABET)
_VALUES = {c: i for i, c in enumerate(ALPHABET)}
#: What people type by mistake for a digit (Crockford's decoding rules).
_READ_AS = str.maketrans({'O': '0', 'I': '1', 'L': '1'})
#: White space, hyphens and dashes of every kind, underscores, dots, middle dots.
_SEPARATORS = re.compile(r'[\s\-_.·\u2010-\u2015\u2212\u30fb]+')


def new_serial():
    """A fresh random serial in normalised form (12 characters, check character last)."""
    value = secrets.randbits(SERIAL_BITS)
    data = ''.join(ALPHABET[(value >> (5 * i)) & 31] for i in reversed(range(DATA_LENGTH)))
    return data + check_character(data)


def check_character(data):
    """The Luhn mod 32 check character for `data` (Crockford base32 characters)."""
    total = _luhn_sum(data, double_rightmost=True)
    return ALPHABET[(_N - total % _N) % _N]


def has_valid_check(normalised):
    """True when the last character of a normalised serial is the right check character."""
    if not normalised or any(c not in _VALUES for c in normalised):
        return False
    return _luhn_sum(normalised, double_rightmost=False) % _N == 0


def normalise(text):
    """The serial as stored, from what someone typed or scanned; None if it cannot be one.

    Ignores case, spaces, hyphens and similar separators, and reads O as 0, I and L as 1.
    Returns None when any other character is outside the alphabet or the length is not
    12. Does not check the check character: see has_valid_check.
    """
    if not isinstance(text, str):
        return None
    candidate = clean(text)
    if len(candidate) != LENGTH or any(c not in _VALUES for c in candidate):
        return None
    return candidate


#: The standard Georgian keyboard: the Latin key each Georgian letter sits on. A serial
#: typed with the keyboard left on Georgian still reads as the serial that was meant.
GEORGIAN_KEYS = str.maketrans(
    dict(
        zip(
            'ქწერტყუიოპასდფგჰჯკლზხცვბნმჭღთშჟძჩ',
            'QWERTYUIOPASDFGHJKLZXCVBNMWRTSJZC',
            strict=True,
        )
    )
)
_FRAGMENT = re.compile(r'^[0-9A-HJKMNP-TV-Z]{4,12}$')


def read(text):
    """The normalised serial in what a person typed, scanned or pasted, or None.

    The one way the academy reads a serial, wherever one is looked up: normalise's rules,
    a pasted address ending with the serial (its query and fragment dropped), and a
    serial typed with the keyboard left on Georgian. Does not check the check character.
    """
    if not isinstance(text, str):
        return None
    text = last_segment(text)
    return normalise(text) or normalise(text.translate(GEORGIAN_KEYS))


def last_segment(text):
    """What follows the last slash of a pasted address (its query and fragment dropped)."""
    if '/' not in text:
        return text.strip()
    return text.split('#', 1)[0].split('?', 1)[0].strip().rstrip('/').rsplit('/', 1)[-1]


def fragment(text):
    """Part of a serial (4 to 12 characters) as stored, for searching; None otherwise."""
    candidate = clean(text) if isinstance(text, str) else ''
    return candidate if _FRAGMENT.match(candidate) else None


def clean(text):
    """`text` as normalise reads it, before judging it: separators gone, upper case, O as 0,
    I and L as 1. Characters outside the alphabet stay, so a caller can point at them."""
    return _SEPARATORS.sub('', text).upper().translate(_READ_AS)


def format_serial(serial):
    """The serial grouped for people: 'K7QM-3XWD-9P2F'. Accepts any form normalise reads."""
    normalised = normalise(serial)
    if normalised is None:
        raise ValueError(f'not a serial: {serial!r}')
    return '-'.join(normalised[i : i + 4] for i in range(0, LENGTH, 4))


def _luhn_sum(characters, *, double_rightmost):
    """Luhn mod N: from the right, every second value is doubled and its base-N digits added."""
    total = 0
    double = double_rightmost
    for c in reversed(characters):
        value = _VALUES[c]
        if double:
            value *= 2
            value = value // _N + value % _N
        total += value
        double = not double
    return total
