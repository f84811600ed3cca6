"""How the academy writes dates and times, in Georgian and in English: one style each.

Pages (through lms.formatting's filters), certificate PDFs and e-mails all write dates
with these functions, so a date reads the same wherever a person meets it:

    ka  2026 წლის 3 მარტი        ორშაბათი, 2026 წლის 3 მარტი, 14:30
    en  3 March 2026              Monday, 3 March 2026, 14:30

The Georgian form is the one official documents use (the year in the genitive, then day
and month). Times are on the 24-hour clock in both languages. Pure: no app, no Babel
locale data, so certificates/ and command-line code use it as they are.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

MONTHS_EN = (
    'January', 'February', 'March', 'April', 'May', 'June',
    'July', 'August', 'September', 'October', 'November', 'December',
)  # fmt: skip
MONTHS_KA = (
    'იანვარი', 'თებერვალი', 'მარტი', 'აპრილი', 'მაისი', 'ივნისი',
    'ივლისი', 'აგვისტო', 'სექტემბერი', 'ოქტომბერი', 'ნოემბერი', 'დეკემბერი',
)  # fmt: skip
#: The month with the postposition -მდე ("until"), which drops the final -ი and, in the
#: months ending in -ერი/-ალი, the vowel before it.
MONTHS_KA_UNTIL = (
    'იანვრამდე', 'თებერვლამდე', 'მარტამდე', 'აპრილამდე', 'მაისამდე', 'ივნისამდე',
    'ივლისამდე', 'აგვისტომდე', 'სექტემბრამდე', 'ოქტომბრამდე', 'ნოემბრამდე', 'დეკემბრამდე',
)  # fmt: skip
WEEKDAYS_EN = ('Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday')
WEEKDAYS_KA = ('ორშაბათი', 'სამშაბათი', 'ოთხშაბათი', 'ხუთშაბათი', 'პარასკევი', 'შაბათი', 'კვირა')


def _english(lang):
    return str(lang).startswith('en')


def format_date(day, lang, *, weekday=False):
    """'2026 წლის 3 მარტი' or '3 March 2026'; with `weekday`, the day's name first."""
    if isinstance(day, datetime):
        day = day.date()
    if _english(lang):
        text = f'{day.day} {MONTHS_EN[day.month - 1]} {day.year}'
        names = WEEKDAYS_EN
    else:
        text = f'{day.year} წლის {day.day} {MONTHS_KA[day.month - 1]}'
        names = WEEKDAYS_KA
    return f'{names[day.weekday()]}, {text}' if weekday else text


def format_until(day, lang):
    """'2026 წლის 3 მარტამდე' or 'until 3 March 2026'."""
    if _english(lang):
        return f'until {format_date(day, lang)}'
    return f'{day.year} წლის {day.day} {MONTHS_KA_UNTIL[day.month - 1]}'


def format_range(start, end, lang):
    """A span of days, its shared parts written once.

    en: '3–7 March 2025', '28 February – 3 March 2025', '30 December 2024 – 3 January 2025'
    ka: '2025 წლის 3–7 მარტი', '2025 წლის 28 თებერვალი – 3 მარტი', across years in full.
    """
    if start == end:
        return format_date(start, lang)
    if start.year != end.year:
        return f'{format_date(start, lang)} – {format_date(end, lang)}'
    if _english(lang):
        if start.month != end.month:
            return f'{start.day} {MONTHS_EN[start.month - 1]} – {format_date(end, lang)}'
        return f'{start.day}–{end.day} {MONTHS_EN[end.month - 1]} {end.year}'
    if start.month != end.month:
        return (
            f'{end.year} წლის {start.day} {MONTHS_KA[start.month - 1]} – '
            f'{end.day} {MONTHS_KA[end.month - 1]}'
        )
    return f'{end.year} წლის {start.day}–{end.day} {MONTHS_KA[end.month - 1]}'


def local(moment, zone):
    """An aware moment as the wall-clock time in `zone` (a name such as 'Asia/Tbilisi')."""
    return moment.astimezone(ZoneInfo(zone) if isinstance(zone, str) else zone)


def format_time(moment, lang, zone):
    """'14:30' on the 24-hour clock, in `zone`."""
    return f'{local(moment, zone):%H:%M}'


def format_datetime(moment, lang, zone, *, weekday=False):
    """'2026 წლის 3 მარტი, 14:30' or '3 March 2026, 14:30', in `zone`."""
    moment = local(moment, zone)
    return f'{format_date(moment.date(), lang, weekday=weekday)}, {moment:%H:%M}'


__all__ = [
    'format_date',
    'format_datetime',
    'format_range',
    'format_time',
    'format_until',
    'local',
]
