"""Dates, times and numbers in the reader's language: the Jinja filters pages use.

Dates and times are written by typeset.dates, the one style per language that PDFs and
e-mails use too; numbers and percentages by Babel.
"""

from datetime import date, datetime
from decimal import Decimal

from flask import current_app
from flask_babel import format_decimal, format_percent

from lms.i18n import current_language
from lms.labels import label
from typeset import dates


def _zone():
    return current_app.config['BABEL_DEFAULT_TIMEZONE']


def format_date(value, *, weekday=False, lang=None):
    """A date (or the day of an aware moment, in the academy's zone) in `lang`."""
    if not value:
        return ''
    if hasattr(value, 'tzinfo') and getattr(value, 'tzinfo', None) is not None:
        value = dates.local(value, _zone()).date()
    return dates.format_date(value, lang or current_language(), weekday=weekday)


def format_datetime(value, *, weekday=False, lang=None):
    """An aware moment as the academy's wall-clock date and time, in `lang`."""
    if not value:
        return ''
    return dates.format_datetime(value, lang or current_language(), _zone(), weekday=weekday)


def format_time(value, *, lang=None):
    return dates.format_time(value, lang or current_language(), _zone()) if value else ''


def format_range(start, end, *, lang=None):
    return dates.format_range(start, end, lang or current_language())


def format_number(value):
    if value is None:
        return ''
    if isinstance(value, Decimal) and value == value.to_integral():
        value = int(value)
    return format_decimal(value)


def _percent(value):
    return '' if value is None else format_percent(float(value) / 100)


def _moment(value):
    """A date or moment as given, or read from its ISO text (the JSON-ready values of
    lms.people.privacy.personal_data, shown on a page as they are downloaded)."""
    if isinstance(value, str) and value:
        return datetime.fromisoformat(value) if 'T' in value else date.fromisoformat(value)
    return value


def _date_filter(value, weekday=False):
    return format_date(_moment(value), weekday=weekday)


def _datetime_filter(value, weekday=False):
    return format_datetime(_moment(value), weekday=weekday)


FILTERS = {
    'date': _date_filter,
    'datetime': _datetime_filter,
    'time': format_time,
    'date_range': lambda start, end: format_range(_moment(start), _moment(end)),
    'number': format_number,
    'percent': _percent,
    'label': label,
}
