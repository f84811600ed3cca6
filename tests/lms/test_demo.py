import random
import re
import shutil
import stat
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import extract, func, select

from certificates import Certificate, claims_of
from lms.demo import seed
from lms.demo import timeline as tl
from lms.extensions import academy_today
from lms.extensions import db as _db
from lms.models import (
    ATTENDANCE_STATUSES,
    COURSE_KINDS,
    ENROLLMENT_STATUSES,
    Assessment,
    Attendance,
    Course,
    Enrollment,
    Offering,
    OfferingSession,
    Organization,
    Result,
    User,
    offering_trainers,
)
from lms.people.romanisation import romanise
from tests.databases import app_on_fresh_database, restore_snapshot, take_snapshot

GEORGIAN_NAME = re.compile('^[\u10d0-\u10ff]+ [\u10d0-\u10ff-]+$')


@pytest.fixture(scope='module')
def loaded(tmp_path_factory):
    """The demo academy loaded once for the module (it takes seconds): a snapshot of its
    database, its key folder and accounts file, and what the loader printed."""
    folder = tmp_path_factory.mktemp('demo')
    keys, path = folder / 'keys', folder / 'demo-accounts.txt'
    with app_on_fresh_database(CERTIFICATE_KEY_DIR=str(keys)):
        lines = seed(echo=lambda line: None, accounts_path=str(path))
        _db.session.commit()
        snapshot = take_snapshot()
    return SimpleNamespace(snapshot=snapshot, keys=keys, path=path, lines=lines)


@pytest.fixture
def demo(app, db, tmp_path, loaded):
    """The demo academy in the test's own database, key folder and tmp_path (the accounts
    file), copied from the module's load: each test may change its copy."""
    restore_snapshot(loaded.snapshot)
    shutil.copytree(loaded.keys, app.config['CERTIFICATE_KEY_DIR'])
    path = tmp_path / loaded.path.name
    shutil.copy2(loaded.path, path)
    return SimpleNamespace(lines=loaded.lines, path=path)


def _counts(db):
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def _accounts(path):
    """{role key: (e-mail, password)} from the accounts file."""
    rows = [line.split() for line in path.read_text(encoding='utf-8').splitlines()]
    found = {}
    for row in rows:
        if len(row) == 3 and '@' in row[1]:
            found[row[1].split('@')[0]] = (row[1], row[2])
    return found


def test_a_second_run_changes_nothing(db, demo):
    before = _counts(db)
    accounts_file = demo.path.read_text(encoding='utf-8')
    lines = seed(echo=lambda line: None, accounts_path=str(demo.path))
    db.session.commit()
    assert _counts(db) == before
    assert demo.path.read_text(encoding='utf-8') == accounts_file
    assert lines[0] == 'Nothing to add: the demo academy is already loaded.'
    assert before['offerings'] > 100 and before['attendance'] > 1000


def test_the_academy_runs_all_four_kinds_every_year_since_2016(db, demo):
    kinds = set(db.session.scalars(select(Course.kind).join(Offering).distinct()))
    assert kinds == set(COURSE_KINDS)

    def years(*statuses):
        starts = select(extract('year', Offering.starts_on)).where(Offering.status.in_(statuses))
        return {int(y) for y in db.session.scalars(starts)}

    this_year = academy_today().year
    # Early in January the current year may not have a finished event yet.
    assert set(range(2016, this_year)) <= years('completed')
    assert this_year in years('completed', 'published')
    statuses = set(db.session.scalars(select(Offering.status).distinct()))
    assert statuses == {'draft', 'published', 'completed', 'cancelled'}
    upcoming = db.session.scalar(
        select(func.count())
        .select_from(Offering)
        .where(Offering.status == 'published', Offering.starts_on > academy_today())
    )
    assert upcoming >= 3
    hosts = db.session.scalar(select(func.count(func.distinct(Offering.municipality_id))))
    assert hosts >= 30
    municipalities = select(func.count()).where(Organization.kind == 'municipality')
    assert db.session.scalar(municipalities.select_from(Organization)) == 64
    for kind in ('cso', 'government', 'academia'):
        assert db.session.scalar(
            select(func.count()).select_from(Organization).where(Organization.kind == kind)
        )


def test_courses_are_bilingual(db, demo):
    for course in db.session.scalars(select(Course)):
        assert re.search('[\u10d0-\u10ff]', course.title_ka + course.description_ka)
        assert course.title_en and course.description_en
        assert not re.search('[\u10d0-\u10ff]', course.title_en + course.description_en)


def test_several_hundred_participants_with_georgian_names(db, demo):
    participants = db.session.scalars(select(User).where(User.role == 'participant')).all()
    assert 300 <= len(participants) <= 1000
    assert all(GEORGIAN_NAME.match(p.full_name_ka) for p in participants)
    assert all(p.full_name_en == romanise(p.full_name_ka) for p in participants)
    assert {'civil_servant', 'cso', 'citizen'} <= {p.sector for p in participants}
    assert {'female', 'male'} <= {p.gender for p in participants}
    assert sum(1 for p in participants if p.organization_id and p.position) > 300
    assert all(
        p.password_hash is None for p in participants if p.email != 'participant@demo.academy.ge'
    )


def test_every_status_appears_and_most_people_are_present(db, demo):
    enrollment_statuses = set(db.session.scalars(select(Enrollment.status).distinct()))
    assert enrollment_statuses == set(ENROLLMENT_STATUSES)
    attendance = dict(
        db.session.execute(
            select(Attendance.status, func.count()).group_by(Attendance.status)
        ).all()
    )
    assert set(attendance) == set(ATTENDANCE_STATUSES)
    assert attendance['present'] > 0.75 * sum(attendance.values())
    required = set(db.session.scalars(select(Assessment.required).distinct()))
    assert required == {True, False}
    assert db.session.scalar(select(func.count()).select_from(Result)) > 100
    scores_in_range = db.session.scalar(
        select(func.count())
        .select_from(Result)
        .join(Assessment)
        .where(Result.score > Assessment.max_score)
    )
    assert scores_in_range == 0


def test_sessions_keep_working_hours_in_tbilisi(db, demo):
    tbilisi = ZoneInfo('Asia/Tbilisi')
    for s in db.session.scalars(select(OfferingSession)):
        assert s.starts_at.tzinfo is not None
        begins, ends = s.starts_at.astimezone(tbilisi), s.ends_at.astimezone(tbilisi)
        assert begins.hour >= 9 and ends.hour <= 21 and begins.date() == ends.date()
        assert 1 <= s.hours <= 8


def test_the_demo_accounts_teach_and_learn(db, demo):
    today = academy_today()
    for email in ('trainer@demo.academy.ge', 'trainer2@demo.academy.ge'):
        taught = db.session.scalars(
            select(Offering)
            .join(offering_trainers)
            .join(User, User.id == offering_trainers.c.user_id)
            .where(User.email == email)
        ).all()
        assert len(taught) >= 5
        assert any(o.ends_on >= today and o.status == 'published' for o in taught)
    participant = db.session.scalar(select(User).where(User.email == 'participant@demo.academy.ge'))
    enrollments = db.session.scalars(
        select(Enrollment).where(Enrollment.user_id == participant.id)
    ).all()
    past = [e for e in enrollments if e.offering.ends_on < today and e.status == 'accepted']
    assert len(past) >= 3
    attended = select(func.count()).select_from(Attendance)
    assert db.session.scalar(attended.where(Attendance.enrollment_id.in_([e.id for e in past])))
    scored = select(func.count()).select_from(Result)
    assert db.session.scalar(scored.where(Result.enrollment_id.in_([e.id for e in past])))
    assert any(e.status == 'applied' and e.offering.starts_on > today for e in enrollments)


def test_the_accounts_file_is_private_and_names_the_four_accounts(demo):
    assert stat.S_IMODE(demo.path.stat().st_mode) == 0o600
    accounts = _accounts(demo.path)
    assert set(accounts) == {'admin', 'trainer', 'trainer2', 'participant'}
    assert len({password for _email, password in accounts.values()}) == 4
    assert any('passwords written' in line for line in demo.lines)


def test_passwords_are_stored_hashed(db, demo):
    for _email, password in _accounts(demo.path).values():
        assert db.session.scalar(select(func.count()).where(User.password_hash == password)) == 0


@pytest.mark.parametrize(
    ('key', 'heading', 'link'),
    [
        ('admin', 'Academy administration', '/admin/enrollments?status=applied'),
        ('trainer', 'My offerings', '/teach/offerings/'),
        ('participant', 'My learning', '/catalogue/offerings/'),
    ],
)
def test_demo_accounts_log_in_and_land_on_their_page(client, demo, key, heading, link):
    email, password = _accounts(demo.path)[key]
    client.post('/language/en')
    response = client.post('/login', data={'email': email, 'password': password})
    assert response.status_code == 302 and response.location.endswith('/home')
    page = client.get('/home')
    assert page.status_code == 200
    assert heading in page.text and link in page.text


def test_the_participant_page_shows_attendance_and_scores(client, demo):
    email, password = _accounts(demo.path)['participant']
    client.post('/language/en')
    client.post('/login', data={'email': email, 'password': password})
    page = client.get('/home').text
    assert 'Attendance 100%' in page
    assert 'სამოქმედო გეგმა' in page  # a result of the assessed training


def test_a_deleted_account_gets_a_new_password_and_the_others_keep_theirs(db, demo):
    before = _accounts(demo.path)
    trainer2 = db.session.scalar(select(User).where(User.email == 'trainer2@demo.academy.ge'))
    db.session.execute(offering_trainers.delete().where(offering_trainers.c.user_id == trainer2.id))
    db.session.delete(trainer2)
    db.session.commit()
    seed(echo=lambda line: None, accounts_path=str(demo.path))
    db.session.commit()
    after = _accounts(demo.path)
    assert after['admin'] == before['admin'] and after['participant'] == before['participant']
    assert after['trainer2'] != before['trainer2']


def test_people_are_drawn_the_same_way_every_time():
    municipalities = [('ქუთაისი', 'imereti'), ('თბილისი', 'tbilisi'), ('ბათუმი', 'adjara')]
    first = tl.plan_people(random.Random(2016), municipalities)
    second = tl.plan_people(random.Random(2016), municipalities)
    assert first == second
    assert len({p.email for p in first}) == len(first) == tl.PARTICIPANTS


def test_the_timeline_depends_only_on_the_seed_and_the_date():
    municipalities = [
        ('ქუთაისი', 'imereti'),
        ('თბილისი', 'tbilisi'),
        ('ბათუმი', 'adjara'),
        ('გორი', 'shida-kartli'),
        ('თელავი', 'kakheti'),
        ('ზუგდიდი', 'samegrelo-zemo-svaneti'),
        ('ოზურგეთი', 'guria'),
        ('რუსთავი', 'kvemo-kartli'),
    ]
    now = datetime(2026, 11, 27, 8, tzinfo=UTC)

    def plan():
        rng = random.Random(2016)
        people = tl.plan_people(rng, municipalities)
        return tl.plan_timeline(
            rng,
            people=people,
            staff_people=tl.staff(),
            municipalities=municipalities,
            today=now.date(),
            now=now,
        )

    first, second = plan(), plan()
    assert first == second
    assert all(s.starts_at.tzinfo is UTC for o in first.offerings for s in o.sessions)
    assert all(
        sum(e.status == 'accepted' for e in o.enrollments) <= o.capacity for o in first.offerings
    )


def test_demo_certificates_are_issued_the_day_after_their_offering_ended(db, demo):
    certificates = db.session.scalars(select(Certificate)).all()
    assert certificates
    for certificate in certificates:
        enrollment = db.session.get(Enrollment, certificate.enrollment_id)
        day_after = enrollment.offering.ends_on + timedelta(days=1)
        assert certificate.issued_on == min(day_after, academy_today())
        assert claims_of(certificate).issued_on == certificate.issued_on
        assert certificate.issued_at.astimezone(ZoneInfo('Asia/Tbilisi')).date() == (
            certificate.issued_on
        )
