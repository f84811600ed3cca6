"""Hostile input straight into the services (hypothesis): whatever a caller hands over,
a service answers with its values or with Invalid naming the fields, and a refused batch
writes nothing."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from lms.attendance.service import read_version, record_attendance
from lms.catalogue.service import COURSE_FIELDS, OFFERING_FIELDS, SESSION_FIELDS
from lms.enrollments.service import APPLICATION_FIELDS
from lms.errors import Invalid
from lms.extensions import db as _db
from lms.models import Attendance
from lms.people.service import REGISTRATION_FIELDS
from lms.validation import clean
from tests.fuzz.test_pages import NASTY_DATE, NASTY_NUMBER, NASTY_TEXT


def bounded(examples):
    return settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )


#: Any JSON value, as an API body may carry it.
JSON = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**80), max_value=2**80),
        st.floats(allow_nan=False, allow_infinity=False),
        NASTY_TEXT,
        NASTY_DATE,
        NASTY_NUMBER,
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(NASTY_TEXT, inner, max_size=3)
    ),
    max_leaves=6,
)
SPECS = {
    'course': COURSE_FIELDS,
    'offering': OFFERING_FIELDS,
    'session': SESSION_FIELDS,
    'application': APPLICATION_FIELDS,
    'registration': REGISTRATION_FIELDS,
}


@bounded(60)
@given(spec=st.sampled_from(sorted(SPECS)), data=st.data())
def test_cleaning_any_values_gives_values_or_invalid_naming_fields(spec, data):
    fields = SPECS[spec]
    values = data.draw(st.dictionaries(st.sampled_from(sorted(fields)), JSON, max_size=len(fields)))
    try:
        cleaned = clean(values, fields)
    except Invalid as refused:
        assert refused.fields and set(refused.fields) <= set(fields)
        return
    for name, value in cleaned.items():
        if isinstance(value, str):
            assert '\x00' not in value and '\u202e' not in value, (name, value)


@bounded(40)
@given(text=st.one_of(NASTY_TEXT, NASTY_DATE, NASTY_NUMBER))
def test_a_roster_version_is_a_time_or_nothing(text):
    moment = read_version(text)
    assert moment is None or moment.tzinfo is not None


@pytest.fixture
def roster(db, create_user, create_offering, create_enrollment):
    trainer = create_user(role='trainer', password=None)
    offering = create_offering(trainers=[trainer], sessions=1)
    create_enrollment(offering, create_user(password=None))
    db.session.commit()
    return offering.sessions[0], trainer


@bounded(30)
@given(records=JSON)
def test_a_roster_of_anything_is_saved_or_refused_whole(roster, records):
    offering_session, trainer = roster
    try:
        record_attendance(offering_session, records, actor=trainer, before_start=True)
    except Invalid:
        _db.session.rollback()
        assert _db.session.scalar(select(func.count()).select_from(Attendance)) == 0
    else:
        _db.session.rollback()
