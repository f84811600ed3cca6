"""A small academy for the fuzzers: an admin, a trainer, participants, an organisation and
a municipality, a course with an offering that is over (sessions, attendance, an
assessment with results, a certificate) and one that takes applications."""

from dataclasses import dataclass
from datetime import date

from lms.assessment.service import add_assessment, record_results
from lms.attendance.service import record_attendance
from lms.awarding.service import issue_for_offering
from lms.extensions import db
from tests.conftest import make_course, make_enrollment, make_offering, make_organization, make_user


@dataclass
class Academy:
    admin: object
    trainer: object
    participant: object
    past: object
    open: object
    ids: list
    serial: str
    municipality_id: int


def small_academy():
    admin = make_user(role='admin', password=None)
    trainer = make_user(role='trainer', password=None)
    participant = make_user(password=None)
    municipality = make_organization(kind='municipality', name_ka='ქუთაისი', name_en='Kutaisi')
    make_organization()
    course = make_course()
    past = make_offering(course, trainers=[trainer], municipality_id=municipality.id, capacity=5)
    upcoming = make_offering(
        course, trainers=[trainer], starts_on=date(2099, 3, 2), ends_on=date(2099, 3, 3)
    )
    enrollment = make_enrollment(past, participant)
    make_enrollment(upcoming, make_user(password=None), 'applied')
    for offering_session in past.sessions:
        record_attendance(
            offering_session, [{'enrollment_id': enrollment.id, 'status': 'present'}], actor=admin
        )
    assessment = add_assessment(
        past,
        {'title': 'ტესტი', 'max_score': '10', 'pass_score': '5', 'required': True},
        actor=admin,
    )
    record_results(assessment, [{'enrollment_id': enrollment.id, 'score': '8'}], actor=admin)
    (certificate,), _ = issue_for_offering(past, actor=admin)
    db.session.commit()
    ids = sorted(
        {
            admin.id,
            participant.id,
            past.id,
            upcoming.id,
            enrollment.id,
            assessment.id,
            past.sessions[0].id,
            course.id,
            municipality.id,
        }
    )
    return Academy(
        admin,
        trainer,
        participant,
        past,
        upcoming,
        ids,
        certificate.formatted_serial,
        municipality.id,
    )
