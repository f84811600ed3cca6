"""One date style per language, wherever a date is written."""

from datetime import UTC, date, datetime

from typeset.dates import format_date, format_datetime, format_range, format_time, format_until


def test_a_date_in_georgian_names_the_year_first_as_official_documents_do():
    assert format_date(date(2025, 3, 3), 'ka') == '2025 წლის 3 მარტი'
    assert format_date(date(2025, 3, 3), 'en') == '3 March 2025'


def test_a_date_with_its_weekday():
    assert format_date(date(2026, 3, 2), 'ka', weekday=True) == 'ორშაბათი, 2026 წლის 2 მარტი'
    assert format_date(date(2026, 3, 2), 'en', weekday=True) == 'Monday, 2 March 2026'


def test_ranges_write_their_shared_parts_once():
    march3, march7 = date(2025, 3, 3), date(2025, 3, 7)
    assert format_range(march3, march7, 'ka') == '2025 წლის 3–7 მარტი'
    assert format_range(march3, march7, 'en') == '3–7 March 2025'
    assert format_range(march3, march3, 'ka') == '2025 წლის 3 მარტი'
    assert format_range(date(2025, 2, 28), march3, 'en') == '28 February – 3 March 2025'
    assert format_range(date(2025, 2, 28), march3, 'ka') == '2025 წლის 28 თებერვალი – 3 მარტი'
    assert (
        format_range(date(2024, 12, 30), date(2025, 1, 3), 'ka')
        == '2024 წლის 30 დეკემბერი – 2025 წლის 3 იანვარი'
    )
    assert (
        format_range(date(2024, 12, 30), date(2025, 1, 3), 'en')
        == '30 December 2024 – 3 January 2025'
    )


def test_until_takes_the_georgian_postposition():
    assert format_until(date(2027, 1, 12), 'ka') == '2027 წლის 12 იანვრამდე'
    assert format_until(date(2027, 9, 1), 'ka') == '2027 წლის 1 სექტემბრამდე'
    assert format_until(date(2027, 1, 12), 'en') == 'until 12 January 2027'


def test_times_are_on_the_24_hour_clock_in_the_academys_zone():
    moment = datetime(2026, 3, 2, 10, 30, tzinfo=UTC)  # 14:30 in Tbilisi
    assert format_time(moment, 'en', 'Asia/Tbilisi') == '14:30'
    assert format_datetime(moment, 'ka', 'Asia/Tbilisi') == '2026 წლის 2 მარტი, 14:30'
    assert (
        format_datetime(moment, 'en', 'Asia/Tbilisi', weekday=True) == 'Monday, 2 March 2026, 14:30'
    )


def test_a_moment_late_in_the_utc_evening_is_the_next_day_in_tbilisi():
    moment = datetime(2026, 3, 2, 21, 15, tzinfo=UTC)
    assert format_datetime(moment, 'en', 'Asia/Tbilisi') == '3 March 2026, 01:15'
