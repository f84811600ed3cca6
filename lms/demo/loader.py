"""Loading the demo academy into the database: idempotent, in bulk, without audit entries.

Reference rows (municipalities, organisations, courses, the signatory, people) are
matched by their natural keys and only the missing ones are added. The timeline
(offerings with sessions, trainers, assessments, enrollments, attendance, results, and
the consultations) goes in as a whole the first time and is left alone once any demo
course has an offering, so a second run adds nothing.

No audit entries: the audit log records changes people make to real records; thousands
of invented entries would bury them and say nothing true.
"""

import os
import random
import secrets
import time
from collections import Counter
from datetime import date, timedelta
from datetime import time as clock

from flask import current_app
from sqlalchemy import func, insert, or_, select

from certificates import Certificate
from lms.awarding.service import issue_for_offering
from lms.demo import timeline as tl
from lms.demo import vocabulary as words
from lms.enrollments import consent
from lms.extensions import db, utcnow
from lms.models import (
    Assessment,
    Attendance,
    Consultation,
    Course,
    Enrollment,
    Offering,
    OfferingSession,
    Organization,
    Result,
    Signatory,
    User,
    offering_trainers,
)
from lms.organizations.service import load_municipalities
from lms.people.romanisation import romanise

SEED = 2016
ACCOUNTS_FILE = 'demo-accounts.txt'
#: Letters and digits that cannot be mistaken for one another when read aloud or typed.
PASSWORD_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'  # noqa: S105 - the letters passwords are drawn from


#: Demo applications not yet decided (or on the waitlist) carry the consent of the form.
OPEN = ('applied', 'waitlisted')


def seed(echo=print, *, today=None, now=None, accounts_path=None):
    """Load the demo academy; returns summary lines. Flushes, never commits.

    `echo` receives a line at the start and warnings as they happen. `today` and `now`
    (Tbilisi date, aware UTC time) default to the present. The demo accounts' passwords
    are written to `accounts_path` (default: demo-accounts.txt in the instance folder),
    mode 0600, when accounts are created; otherwise the file is kept as is.
    """
    started = time.perf_counter()
    now = now or utcnow()
    today = today or now.astimezone(tl.TBILISI).date()
    accounts_path = accounts_path or os.path.join(current_app.instance_path, ACCOUNTS_FILE)
    echo('Loading the demo academy...')
    # The same academy every time (a seeded generator); passwords come from `secrets`.
    rng = random.Random(SEED)  # noqa: S311
    summary = []

    added = {'municipalities': load_municipalities()}
    added['organisations'] = _add_organizations()
    added['courses'] = _add_courses()
    added['signatories'] = _add_signatory()
    municipalities = [
        (name, region)
        for name, region in db.session.execute(
            select(Organization.name_ka, Organization.region)
            .where(Organization.kind == 'municipality')
            .order_by(Organization.name_ka)
        )
    ]
    staff = tl.staff()
    people = tl.plan_people(rng, municipalities, taken_emails={p.email for p in staff})
    course_ids = _ids(Course.code, Course.id, Course.code.in_([c['code'] for c in words.COURSES]))
    loaded = db.session.scalar(
        select(Offering.id).where(Offering.course_id.in_(course_ids.values())).limit(1)
    )
    plan = None
    if loaded is None:
        plan = tl.plan_timeline(
            rng,
            people=people,
            staff_people=staff,
            municipalities=municipalities,
            today=today,
            now=now,
        )
    joined = _first_applications(plan)
    passwords = _add_accounts(staff, joined, today)
    roles = _add_people(staff, people, joined, now)

    for what in ('municipalities', 'organisations', 'courses'):
        if added[what]:
            summary.append(f'{what.capitalize()}: {added[what]} added.')
    if passwords or roles:
        summary.append(
            f'People: {len(passwords)} demo accounts, {roles["trainer"]} trainers and '
            f'{roles["participant"]} participants added.'
        )
    if plan is not None:
        counts = _load_timeline(plan, course_ids)
        summary.append(
            'Timeline {first}-{last}: {offerings} offerings ({kinds}), {sessions} sessions, '
            '{enrollments} enrollments, {attendance} attendance records, {results} results, '
            '{consultations} consultations.'.format(**counts)
        )
    issued = _issue_certificates(today)
    if issued:
        summary.append(f'Certificates: {issued} issued.')
    if not summary:
        summary.append('Nothing to add: the demo academy is already loaded.')
    summary.append(_write_accounts(accounts_path, passwords, echo))
    summary.append(f'Done in {time.perf_counter() - started:.1f} s.')
    return summary


# Certificates --------------------------------------------------------------------------

#: Enough certificates to see and verify, not one per past participant: each is a signed
#: PDF, and the demo should load in seconds.
DEMO_CERTIFICATE_OFFERINGS = 3


def _issue_certificates(today):
    """Issue the certificates of the demo participant and of the latest finished trainings.

    Only on the first run (when no certificate exists yet), through the same service as
    the completion view.
    """
    if db.session.scalar(select(Certificate.id).limit(1)) is not None:
        return 0
    email = next(account[1] for account in words.ACCOUNTS if account[0] == 'participant')
    participant = db.session.scalar(select(User).where(User.email == email))
    mine = select(Enrollment.offering_id).where(Enrollment.user_id == participant.id)
    latest = (
        select(Offering.id)
        .join(Course)
        .where(Offering.ends_on < today, Course.grants_certificate.is_(True))
        .order_by(Offering.ends_on.desc())
        .limit(DEMO_CERTIFICATE_OFFERINGS)
    )
    offerings = db.session.scalars(
        select(Offering).where(
            or_(Offering.id.in_(mine), Offering.id.in_(latest)), Offering.ends_on < today
        )
    ).all()
    everyone = set(db.session.scalars(latest))
    issued = 0
    for offering in offerings:
        # Issued the day after the offering ended, as the academy does it, not all today.
        issued_on = min(offering.ends_on + timedelta(days=1), today)
        chosen = None
        if offering.id not in everyone:
            chosen = [e.id for e in offering.enrollments if e.user_id == participant.id]
        certificates, _ = issue_for_offering(
            offering, actor=None, enrollment_ids=chosen, issued_on=issued_on, tell_holders=False
        )
        for certificate in certificates:
            certificate.issued_at = tl.local(issued_on, clock(11))
        issued += len(certificates)
    return issued


# Reference rows ------------------------------------------------------------------------


def _ids(key_column, id_column, *conditions):
    return dict(db.session.execute(select(key_column, id_column).where(*conditions)).all())


def _add_organizations():
    existing = {
        tuple(row) for row in db.session.execute(select(Organization.kind, Organization.name_ka))
    }
    rows = [
        {'kind': kind, 'name_ka': name_ka, 'name_en': name_en, 'region': region}
        for kind, name_ka, name_en, region in words.ORGANIZATIONS
        if (kind, name_ka) not in existing
    ]
    if rows:
        db.session.execute(insert(Organization), rows)
    return len(rows)


def _add_courses():
    existing = set(db.session.scalars(select(func.lower(Course.code))))
    columns = (
        'code', 'kind', 'hours', 'title_ka', 'title_en', 'description_ka', 'description_en',
        'min_attendance_pct', 'grants_certificate', 'validity_months',
    )  # fmt: skip
    rows = [
        {
            **{name: course[name] for name in columns},
            'created_at': tl.local(date(course['since'], 1, 15), clock(10)),
        }
        for course in words.COURSES
        if course['code'].lower() not in existing
    ]
    if rows:
        db.session.execute(insert(Course), rows)
    return len(rows)


def _add_signatory():
    name_ka, name_en, title_ka, title_en = words.SIGNATORY
    exists = db.session.scalar(
        select(Signatory.id).where(Signatory.course_id.is_(None), Signatory.name_ka == name_ka)
    )
    if exists is not None:
        return 0
    db.session.add(
        Signatory(name_ka=name_ka, name_en=name_en, title_ka=title_ka, title_en=title_en)
    )
    return 1


# People --------------------------------------------------------------------------------


def _first_applications(plan):
    """{e-mail: the first time the person applied}, to date their accounts."""
    first = {}
    for offering in plan.offerings if plan else ():
        for enrollment in offering.enrollments:
            if enrollment.email not in first or enrollment.applied_at < first[enrollment.email]:
                first[enrollment.email] = enrollment.applied_at
    return first


def _organization_ids():
    return {
        (kind, name): id_
        for id_, kind, name in db.session.execute(
            select(Organization.id, Organization.kind, Organization.name_ka)
        )
    }


def _user_row(person, organizations, created_at):
    return {
        'email': person.email,
        'password_hash': None,
        'full_name_ka': person.name_ka,
        'full_name_en': romanise(person.name_ka),
        'role': person.role,
        'sector': person.sector,
        'organization_id': organizations.get(person.organization),
        'position': person.position,
        'gender': person.gender,
        'phone': person.phone,
        'created_at': created_at,
        'email_confirmed_at': created_at,  # the academy's own accounts count as confirmed
    }


def _existing_emails(emails):
    return set(db.session.scalars(select(User.email).where(User.email.in_(list(emails)))))


def _add_accounts(staff, joined, today):
    """Create the missing demo accounts with new random passwords: {e-mail: password}."""
    accounts = {email for _key, email, *_rest in words.ACCOUNTS}
    missing = accounts - _existing_emails(accounts)
    organizations = _organization_ids()
    start = tl.local(date(tl.FIRST_YEAR, 1, 11), clock(10))
    passwords = {}
    for person in staff:
        if person.email not in missing:
            continue
        since = joined.get(person.email) if person.role == 'participant' else start
        user = User(**_user_row(person, organizations, since or utcnow()))
        passwords[person.email] = _new_password()
        user.set_password(passwords[person.email])
        db.session.add(user)
    db.session.flush()
    return passwords


def _add_people(staff, people, joined, now):
    """Add the missing trainers and participants; returns a Counter of the roles added.

    A participant's account dates from their first application; those who never applied
    registered in the last two months.
    """
    everyone = [*staff, *people]
    existing = _existing_emails(p.email for p in everyone)
    organizations = _organization_ids()
    start = tl.local(date(tl.FIRST_YEAR, 1, 11), clock(10))
    rows = []
    for index, person in enumerate(everyone):
        if person.email in existing:
            continue
        created_at = start
        if person.role == 'participant':
            recently = now - timedelta(days=index % 60, hours=index % 9)
            created_at = joined.get(person.email, recently)
        rows.append(_user_row(person, organizations, created_at))
    if rows:
        db.session.execute(insert(User), rows)
    return Counter(row['role'] for row in rows)


def _new_password():
    letters = ''.join(secrets.choice(PASSWORD_ALPHABET) for _ in range(12))
    return '-'.join(letters[i : i + 4] for i in range(0, 12, 4))


# The timeline --------------------------------------------------------------------------


def _insert_returning_ids(model, rows):
    """Insert `rows` in batches; their new ids, in the order of `rows`."""
    if not rows:
        return []
    stmt = insert(model).returning(model.id, sort_by_parameter_order=True)
    return list(db.session.scalars(stmt, rows))


def _load_timeline(plan, course_ids):
    users = _ids(User.email, User.id, User.email.like(f'%@{words.DOMAIN}'))
    municipalities = _ids(
        Organization.name_ka, Organization.id, Organization.kind == 'municipality'
    )
    offerings = plan.offerings
    offering_ids = _insert_returning_ids(
        Offering,
        [
            {
                'course_id': course_ids[o.course['code']],
                'starts_on': o.starts_on,
                'ends_on': o.ends_on,
                'location': o.location,
                'location_en': o.location_en,
                'municipality_id': municipalities.get(o.municipality),
                'format': o.format,
                'capacity': o.capacity,
                'applications_open_on': o.opens_on,
                'applications_close_on': o.closes_on,
                'status': o.status,
                'created_at': o.created_at,
            }
            for o in offerings
        ],
    )
    session_ids = _insert_returning_ids(
        OfferingSession,
        [
            {'offering_id': oid, 'starts_at': s.starts_at, 'ends_at': s.ends_at, 'topic': s.topic}
            for o, oid in zip(offerings, offering_ids, strict=True)
            for s in o.sessions
        ],
    )
    sessions_of, position = {}, 0
    for o, oid in zip(offerings, offering_ids, strict=True):
        sessions_of[oid] = session_ids[position : position + len(o.sessions)]
        position += len(o.sessions)
    db.session.execute(
        insert(offering_trainers),
        [
            {'offering_id': oid, 'user_id': users[email]}
            for o, oid in zip(offerings, offering_ids, strict=True)
            for email in o.trainers
        ],
    )
    assessment_ids = _insert_returning_ids(
        Assessment,
        [
            {
                'offering_id': oid,
                'title': title,
                'max_score': max_score,
                'pass_score': pass_score,
                'required': required,
            }
            for o, oid in zip(offerings, offering_ids, strict=True)
            for title, max_score, pass_score, required in o.assessments
        ],
    )
    assessments_of, position = {}, 0
    for o, oid in zip(offerings, offering_ids, strict=True):
        assessments_of[oid] = assessment_ids[position : position + len(o.assessments)]
        position += len(o.assessments)
    placed = [
        (o, oid, e) for o, oid in zip(offerings, offering_ids, strict=True) for e in o.enrollments
    ]
    enrollment_ids = _insert_returning_ids(
        Enrollment,
        [
            {
                'offering_id': oid,
                'user_id': users[e.email],
                'status': e.status,
                'motivation': e.motivation,
                'applied_at': e.applied_at,
                'decided_at': e.decided_at,
                # Applications still open were made with the form: they carry its consent.
                'consent_version': consent.CURRENT if e.status in OPEN else None,
                'consented_at': e.applied_at if e.status in OPEN else None,
                'withdrawn_at': e.decided_at if e.status == 'withdrawn' else None,
            }
            for _o, oid, e in placed
        ],
    )
    attendance, results = [], []
    for (o, oid, e), eid in zip(placed, enrollment_ids, strict=True):
        recorder = users[o.trainers[0]] if o.trainers else None
        for index, (status, note) in e.attendance.items():
            attendance.append(
                {
                    'session_id': sessions_of[oid][index],
                    'enrollment_id': eid,
                    'status': status,
                    'note': note,
                    'recorded_by_id': recorder,
                    'recorded_at': o.sessions[index].ends_at,
                }
            )
        for index, score in e.scores.items():
            results.append(
                {
                    'assessment_id': assessments_of[oid][index],
                    'enrollment_id': eid,
                    'score': score,
                    'recorded_by_id': recorder,
                    'recorded_at': o.sessions[-1].ends_at + timedelta(days=2),
                }
            )
    if attendance:
        db.session.execute(insert(Attendance), attendance)
    if results:
        db.session.execute(insert(Result), results)
    consultations = [
        {
            'organization_id': municipalities[c.municipality],
            'expert_id': users.get(c.expert_email),
            'expert_name': c.expert_name,
            'consulted_on': c.consulted_on,
            'topic': c.topic,
            'hours': c.hours,
            'notes': '',
            'created_at': tl.local(c.consulted_on, clock(18)),
        }
        for c in plan.consultations
    ]
    if consultations:
        db.session.execute(insert(Consultation), consultations)
    db.session.flush()
    kinds = Counter(o.course['kind'] for o in offerings)
    return {
        'first': min(o.starts_on.year for o in offerings),
        'last': max(o.starts_on.year for o in offerings),
        'offerings': len(offerings),
        'kinds': ', '.join(
            f'{kinds[k]} {k}s' for k in ('training', 'seminar', 'conference', 'forum')
        ),
        'sessions': len(session_ids),
        'enrollments': len(enrollment_ids),
        'attendance': len(attendance),
        'results': len(results),
        'consultations': len(consultations),
    }


# The accounts file ---------------------------------------------------------------------


def _write_accounts(path, passwords, echo):
    """Write the demo accounts' passwords when some were just made; otherwise keep the file.

    Accounts that existed before keep the password an earlier file recorded for them.
    """
    if not passwords:
        if os.path.exists(path):
            return f'Demo accounts: unchanged, see {path}.'
        echo(
            f'Warning: the demo accounts exist but {path} is missing; their passwords are '
            'known to no one. Set new ones on the People page or with `flask users`.'
        )
        return 'Demo accounts: exist already (passwords not shown).'
    known = _read_accounts(path)
    # No address here: the same accounts serve whatever port the academy runs on next
    # (`make run` prints the address it serves).
    lines = [
        'Demo accounts:',
        f'  {"role":<12} {"e-mail":<28} password',
    ]
    for _key, email, role, *_rest in words.ACCOUNTS:
        password = passwords.get(email) or known.get(email, '(unchanged)')
        lines.append(f'  {role:<12} {email:<28} {password}')
    text = '\n'.join(lines) + '\n'
    temporary = f'{path}.tmp'
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, 'w', encoding='utf-8') as fh:
        os.fchmod(fh.fileno(), 0o600)
        fh.write(text)
    os.replace(temporary, path)
    return f'Demo accounts: passwords written to {path}.'


def _read_accounts(path):
    """{e-mail: password} from an earlier accounts file; empty when there is none."""
    try:
        with open(path, encoding='utf-8') as fh:
            rows = [line.split() for line in fh]
    except OSError:
        return {}
    return {row[1]: row[2] for row in rows if len(row) == 3 and '@' in row[1]}
