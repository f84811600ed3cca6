"""Checking plain input (a JSON body or a form's data) against a small field spec.

Services call `clean(data, spec)` first, so the API and the pages share one set of rules:
types, lengths, ranges and choices. Rules that need the database (uniqueness, a reference
that must exist) stay in the services.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l

from lms.errors import Invalid

_MISSING = object()
#: The largest id or whole number the database's INTEGER columns hold (PostgreSQL: 32 bits).
MAX_INT = 2**31 - 1
#: Control characters (tab and line breaks aside) and lone surrogates: no database stores
#: them as text (PostgreSQL refuses NUL, UTF-8 has no surrogates), so they never get in.
_UNSTORABLE = re.compile('[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]')
#: Invisible bidirectional formatting (marks, embeddings, overrides, isolates): pasted from
#: other documents they would make a name print in a different order than it reads, on a
#: signed certificate too. Removed, as people never mean them.
_BIDI_FORMATTING = re.compile('[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]')
_ISO_DATE = re.compile(r'[0-9]{4}-[0-9]{2}-[0-9]{2}')
#: A number as people write it: the digits 0-9, one decimal point or comma. Python would
#: also read 1e2, 1_000 and digits of other scripts (١٢), which nobody means on a form.
_DECIMAL = re.compile(r'[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)', re.ASCII)
_INTEGER = re.compile(r'[+-]?[0-9]+', re.ASCII)
NOT_A_NUMBER = _l('Write a number with the digits 0–9, such as 12 or 12.5.')
NOT_A_WHOLE_NUMBER = _l('Write a whole number with the digits 0–9, such as 12.')


def read_decimal(text):
    """The Decimal a person wrote (`12`, `12.5`, `12,5`), or None when it is not one."""
    text = text.strip() if isinstance(text, str) else ''
    return Decimal(text.replace(',', '.')) if _DECIMAL.fullmatch(text) else None


def read_integer(text):
    text = text.strip() if isinstance(text, str) else ''
    return int(text) if _INTEGER.fullmatch(text) else None


@dataclass(frozen=True)
class Field:
    kind: str = 'str'  # str, text, int, decimal, bool, date, datetime, email, id, ids
    required: bool = True
    max_length: int | None = None
    choices: tuple | None = None
    min: float | None = None
    max: float | None = None
    default: object = _MISSING

    def convert(self, value):
        """Return the cleaned value or raise ValueError with a readable message."""
        return _CONVERTERS[self.kind](self, value)


def _str(field, value):
    if not isinstance(value, str):
        raise ValueError(_l('Must be text.'))
    if _UNSTORABLE.search(value):
        raise ValueError(_l('Contains characters that are not allowed.'))
    # One spelling for each text (NFC: a letter and its accent as one character), so equal
    # names compare equal and a signed name is the name people typed.
    value = unicodedata.normalize('NFC', _BIDI_FORMATTING.sub('', value)).strip()
    if field.kind == 'str':
        value = re.sub(r'\s+', ' ', value)
    if field.max_length and len(value) > field.max_length:
        raise ValueError(_l('At most %(n)d characters.', n=field.max_length))
    if field.choices is not None and value not in field.choices:
        raise ValueError(_l('Choose one of: %(choices)s.', choices=', '.join(field.choices)))
    return value


def _number(field, value, parse, message):
    if isinstance(value, bool) or value is None:
        raise ValueError(message)
    try:
        number = parse(value)
    except (TypeError, ValueError, InvalidOperation):
        raise ValueError(message) from None
    if isinstance(number, Decimal) and not number.is_finite():
        raise ValueError(message)
    if abs(number) > MAX_INT:
        raise ValueError(_l('Must be at most %(n)s.', n=MAX_INT))
    if field.min is not None and number < field.min:
        raise ValueError(_l('Must be at least %(n)s.', n=field.min))
    if field.max is not None and number > field.max:
        raise ValueError(_l('Must be at most %(n)s.', n=field.max))
    return number


def _int(field, value):
    def parse(v):
        if isinstance(v, float) and not v.is_integer():
            raise ValueError
        if isinstance(v, str):
            v = read_integer(v)
            if v is None:
                raise ValueError
        return int(v)

    return _number(field, value, parse, NOT_A_WHOLE_NUMBER)


def _decimal(field, value):
    def parse(v):
        if isinstance(v, str):
            v = read_decimal(v)
            if v is None:
                raise ValueError
        return Decimal(str(v))

    number = _number(field, value, parse, NOT_A_NUMBER)
    # Every decimal column has two places; rounding here keeps SQLite and PostgreSQL alike.
    return number.quantize(Decimal('0.01'), ROUND_HALF_UP)


def _bool(field, value):
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ('true', 'false', 'on', 'off', '1', '0', 'y'):
        return value.lower() in ('true', 'on', '1', 'y')
    raise ValueError(_l('Must be true or false.'))


def _date(field, value):
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(_l('Must be a date as YYYY-MM-DD.'))


def _datetime(field, value):
    if isinstance(value, datetime):
        parsed = value
    else:
        try:
            parsed = datetime.fromisoformat(value.strip().replace('Z', '+00:00'))
        except (AttributeError, ValueError):
            raise ValueError(_l('Must be a time as ISO 8601 with an offset.')) from None
    if parsed.tzinfo is None:
        raise ValueError(_l('The time needs an offset, e.g. +04:00.'))
    try:
        # Kept in UTC, as the columns store it (0001-01-01T00:00+04:00 has no UTC time).
        return parsed.astimezone(UTC)
    except OverflowError:
        raise ValueError(_l('Must be a time as ISO 8601 with an offset.')) from None


def _email(field, value):
    text = _str(field, value)
    try:
        # test_environment lets through addresses under the reserved .test domain (RFC 2606),
        # which demo data and integration tests use; deliverability is never checked anyway.
        checked = validate_email(text, check_deliverability=False, test_environment=True)
        return checked.normalized.lower()
    except EmailNotValidError:
        raise ValueError(_l('Not a valid e-mail address.')) from None


def _id(field, value):
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(_l('Must be an id (a whole number).'))
    try:
        number = int(value)
    except ValueError:
        raise ValueError(_l('Must be an id (a whole number).')) from None
    if not 0 < number <= MAX_INT:
        raise ValueError(_l('Must be an id (a whole number).'))
    return number


def _ids(field, value):
    if not isinstance(value, list | tuple):
        raise ValueError(_l('Must be a list of ids.'))
    ids = [_id(field, v) for v in value]
    if len(set(ids)) != len(ids):
        raise ValueError(_l('The same id is listed twice.'))
    return ids


_CONVERTERS = {
    'str': _str,
    'text': _str,
    'int': _int,
    'decimal': _decimal,
    'bool': _bool,
    'date': _date,
    'datetime': _datetime,
    'email': _email,
    'id': _id,
    'ids': _ids,
}


def clean(data, spec, *, partial=False):
    """Check `data` (a mapping) against `spec` ({name: Field}) and return the cleaned values.

    Unknown keys are ignored. An empty string or None counts as absent. With
    `partial=True` (a PATCH) absent fields are left out instead of being required or
    defaulted. Raises Invalid naming every bad field at once.
    """
    if not isinstance(data, dict):
        raise Invalid(_l('The body must be a JSON object.'))
    cleaned, errors = {}, {}
    for name, field in spec.items():
        value = data.get(name, _MISSING)
        if value is None or (isinstance(value, str) and not value.strip()):
            value = _MISSING
        if value is _MISSING:
            if partial and name not in data:
                continue
            if field.required:
                errors[name] = _l('This field is required.')
            elif field.default is not _MISSING:
                cleaned[name] = field.default
            else:
                cleaned[name] = None
            continue
        try:
            cleaned[name] = field.convert(value)
        except ValueError as exc:
            errors[name] = exc.args[0]
            continue
        if cleaned[name] == '' and field.required:  # nothing left once invisible marks went
            errors[name] = _l('This field is required.')
    if errors:
        raise Invalid(fields=errors)
    return cleaned
