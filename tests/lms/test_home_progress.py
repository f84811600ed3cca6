"""What the trainer and the participant see of completion on their own pages."""

from datetime import date

from lms.attendance.service import record_attendance
from tests.statements import statements_of_page


def _english(client):
    client.post('/language/en')


def test_a_participant_sees_attendance_and_what_is_still_missing(
    client, login, create_user, create_offering, create_enrollment
):
    trainer = create_user(role='trainer')
    offering = create_offering(trainers=[trainer])
    me = create_user()
    mine = create_enrollment(offering=offering, user=me)
    record_attendance(
        offering.sessions[0], [{'enrollment_id': mine.id, 'status': 'present'}], actor=trainer
    )
    login(me)
    _english(client)
    page = client.get('/home').text
    assert 'Attendance 50%' in page
    assert 'Still missing for a certificate: attendance 50% &lt; 80%' in page


def test_a_participant_who_met_the_rules_is_told_so(
    client, login, create_user, create_offering, create_enrollment
):
    trainer = create_user(role='trainer')
    offering = create_offering(trainers=[trainer])
    me = create_user()
    mine = create_enrollment(offering=offering, user=me)
    for s in offering.sessions:
        record_attendance(s, [{'enrollment_id': mine.id, 'status': 'late'}], actor=trainer)
    login(me)
    _english(client)
    assert 'You meet the requirements for a certificate.' in client.get('/home').text


def test_a_trainer_sees_recorded_sessions_and_eligibility_at_a_glance(
    client, login, create_user, create_offering, create_enrollment
):
    trainer = create_user(role='trainer')
    upcoming = create_offering(
        trainers=[trainer], starts_on=date(2030, 5, 1), ends_on=date(2030, 5, 2)
    )
    create_enrollment(offering=upcoming)
    past = create_offering(trainers=[trainer])
    e = create_enrollment(offering=past)
    record_attendance(
        past.sessions[0], [{'enrollment_id': e.id, 'status': 'present'}], actor=trainer
    )
    login(trainer)
    _english(client)
    page = client.get('/home').text
    assert '0 of 2 sessions recorded' in page
    assert '1 of 1 on track' in page  # nothing held yet, nothing missed
    assert f'/teach/offerings/{past.id}' in page


def test_the_participants_page_takes_as_many_statements_for_many_offerings_as_for_two(
    client, db, login, create_user, create_offering, create_enrollment, create_organization
):
    """Completion is judged for all of a person's offerings at once, not one by one."""
    trainer = create_user(role='trainer')
    me = login(create_user())

    def take_part(n):
        for _ in range(n):
            offering = create_offering(
                trainers=[trainer], municipality=create_organization(kind='municipality')
            )
            mine = create_enrollment(offering=offering, user=me)
            record_attendance(
                offering.sessions[0],
                [{'enrollment_id': mine.id, 'status': 'present'}],
                actor=trainer,
            )
        db.session.commit()

    take_part(2)
    few = statements_of_page(client, '/home')
    take_part(8)
    many = statements_of_page(client, '/home')
    assert many == few


def test_the_trainers_page_takes_as_many_statements_for_many_offerings_as_for_two(
    client, db, login, create_user, create_offering, create_enrollment
):
    trainer = login(create_user(role='trainer'))

    def teach(n):
        for _ in range(n):
            offering = create_offering(
                trainers=[trainer], starts_on=date(2099, 3, 2), ends_on=date(2099, 3, 3)
            )
            for _ in range(3):
                create_enrollment(offering=offering)
        db.session.commit()

    teach(2)
    few = statements_of_page(client, '/home')
    teach(6)
    many = statements_of_page(client, '/home')
    assert many == few


def test_the_admins_home_asks_the_same_statements_for_one_upcoming_offering_or_ten(
    client, db, login, create_user, create_offering, create_organization
):
    login(create_user(role='admin'))

    def plan(n):
        for _ in range(n):
            create_offering(
                starts_on=date(2099, 3, 2),
                ends_on=date(2099, 3, 3),
                municipality=create_organization(kind='municipality'),
            )
        db.session.commit()

    plan(1)
    few = statements_of_page(client, '/home')
    plan(9)
    many = statements_of_page(client, '/home')
    assert many == few
