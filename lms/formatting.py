"""Jinja filters: dates, times and numbers in the reader's language (Babel)."""

from decimal import Decimal

from flask_babel import (
    format_date,
    format_datetime,
    format_decimal,
    format_percent,
    format_time,
)

from lms.labels import label


def _date(value, format='medium'):
    return format_date(value, format) if value else ''


def _datetime(value, format='medium'):
    return format_datetime(value, format) if value else ''


def _time(value, format='short'):
    return format_time(value, format) if value else ''


def _number(value):
    if value is None:
        return ''
    if isinstance(value, Decimal) and value == value.to_integral():
        value = int(value)
    return format_decimal(value)


def _percent(value):
    return '' if value is None else format_percent(float(value) / 100)


FILTERS = {
    'date': _date,
    'datetime': _datetime,
    'time': _time,
    'number': _number,
    'percent': _percent,
    'label': label,
}
