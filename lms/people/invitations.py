"""Inviting people from a CSV file: accounts without a password, and a link to set one.

Columns (header on the first line, names as here, any order; other columns ignored):
`full_name_ka` and `email` are required; `full_name_en` (romanised when empty),
`organization` (the Georgian or English name of an organisation the academy has, or
empty), `position`, `sector` (civil_servant, cso, citizen, other, or their Georgian or
English words; `other` when empty) are optional; `course_code` with `starts_on` (a date,
2026-03-02 or 02.03.2026) name an offering to enrol the person in, as *accepted*: the
academy invites people it has chosen, and the offering's capacity is respected.

A person is the same person by e-mail, whatever its case. An existing account is left as
it is (only enrolled when the file says so). Everyone without a password gets an
`invitation` e-mail with a link to set one (lms.people.tokens, INVITATION_DAYS), unless
they were invited less than a day ago: uploading the same file again creates nobody
twice and mails nobody twice in a row, while someone whose link expired gets a new one.

Every line is checked first, against the database and the other lines; one bad line and
nothing changes (`Invalid` with a `rows` report by line, the header being line 1). A dry
run returns the same counts the real run would.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from lms import audit
from lms.csv_files import read_rows
from lms.enrollments.service import accepted_count, enroll
from lms.errors import Invalid
from lms.extensions import db, utcnow
from lms.labels import LABELS
from lms.links import public_url
from lms.models import SECTORS, Course, Enrollment, Offering, Organization, User
from lms.notifications.service import notify
from lms.people.romanisation import romanise
from lms.people.service import USER_FIELDS, create_user
from lms.people.tokens import lifetime, make_token
from lms.validation import clean

COLUMNS = (
    'full_name_ka',
    'full_name_en',
    'email',
    'organization',
    'position',
    'sector',
    'course_code',
    'starts_on',
)
REQUIRED_COLUMNS = ('full_name_ka', 'email')
MAX_ROWS = 2000
MAX_TEXT_LENGTH = 1_000_000
#: Someone invited this recently is not invited again by another upload.
REINVITE_AFTER = timedelta(days=1)
_FIELDS = {
    name: USER_FIELDS[name] for name in ('email', 'full_name_ka', 'full_name_en', 'position')
}


@dataclass
class Outcome:
    """What an upload did (or, on a dry run, would do)."""

    rows: int = 0
    created: int = 0
    existing: int = 0
    enrolled: int = 0
    invited: int = 0


@dataclass
class _Line:
    line: int
    values: dict
    user: User | None = None
    offering: Offering | None = None
    enrol: bool = False
    errors: dict = field(default_factory=dict)


def _sector(text):
    text = (text or '').strip()
    if not text:
        return 'other'
    if text.lower() in SECTORS:
        return text.lower()
    for code, word in LABELS['sector'].items():
        for locale in ('ka', 'en'):
            with force_locale(locale):
                if text.lower() == str(word).lower():
                    return code
    return None


def _date(text):
    text = text.strip()
    for pattern in ('%Y-%m-%d', '%d.%m.%Y', '%d/%m/%Y'):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _organizations():
    """{lower-case Georgian or English name: [organisation, ...]}."""
    names = {}
    for organization in db.session.scalars(select(Organization)):
        for name in {organization.name_ka.lower(), (organization.name_en or '').lower()} - {''}:
            names.setdefault(name, []).append(organization)
    return names


def _existing_users(emails):
    if not emails:
        return {}
    users = db.session.scalars(select(User).where(func.lower(User.email).in_(list(emails))))
    return {u.email.lower(): u for u in users}


def _offerings(keys):
    """{(course code, start date): [offering, ...]} for the (code, date) pairs asked."""
    codes = {code for code, _ in keys}
    if not codes:
        return {}
    found = {}
    rows = db.session.scalars(
        select(Offering).join(Course).where(func.lower(Course.code).in_(list(codes)))
    )
    for offering in rows:
        key = (offering.course.code.lower(), offering.starts_on)
        found.setdefault(key, []).append(offering)
    return found


def _enrolled(offerings, users):
    """{(offering id, user id)} of the enrollments among these offerings and people."""
    if not offerings or not users:
        return set()
    rows = db.session.execute(
        select(Enrollment.offering_id, Enrollment.user_id).where(
            Enrollment.offering_id.in_([o.id for o in offerings]),
            Enrollment.user_id.in_([u.id for u in users]),
        )
    )
    return {tuple(row) for row in rows}


def _read(row):
    """The person's values of one line, and {column: message} for those that are wrong.

    Each column is checked on its own, so a good e-mail address is known (for the
    duplicate check) even on a line whose name is missing.
    """
    values, errors = {}, {}
    for name, spec in _FIELDS.items():
        try:
            values.update(clean({name: row.get(name, '')}, {name: spec}))
        except Invalid as exc:
            errors.update(exc.fields)
    sector = _sector(row.get('sector'))
    if sector is None:
        errors['sector'] = _l('Unknown sector: write one of %(codes)s.', codes=', '.join(SECTORS))
    values['sector'] = sector
    return values, errors


def _plan(text):
    """Every line of the file checked: [_Line]; Invalid for a file that cannot be read."""
    text = (text or '').lstrip('\ufeff')
    if not text.strip():
        message = _l('There is nothing to import: choose a CSV file or paste its lines.')
        raise Invalid(message, fields={'file': message})
    header, rows = read_rows(text, MAX_ROWS)
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        message = _l(
            'The first line lacks the columns %(missing)s. It names the columns: %(columns)s.',
            missing=', '.join(missing),
            columns=', '.join(COLUMNS),
        )
        raise Invalid(message, fields={'file': message})
    raw = [
        (line, dict(zip(header, cells, strict=False)))
        for line, cells in rows
        if any(cell.strip() for cell in cells)
    ]
    organizations = _organizations()
    users = _existing_users({(row.get('email') or '').strip().lower() for _, row in raw})
    offering_keys = set()
    lines, seen = [], {}
    for number, row in raw:
        values, errors = _read(row)
        item = _Line(number, values, errors=errors)
        lines.append(item)
        email = values.get('email') if 'email' not in errors else None
        if email:
            if email in seen:
                errors['email'] = _l('The same e-mail address as line %(line)d.', line=seen[email])
            seen.setdefault(email, number)
            item.user = users.get(email)
        name = (row.get('organization') or '').strip()
        if name:
            matches = organizations.get(name.lower(), [])
            if len(matches) == 1:
                values['organization_id'] = matches[0].id
            elif matches:
                errors['organization'] = _l(
                    "Several organisations have this name; write the other language's name."
                )
            else:
                errors['organization'] = _l('The academy has no organisation of this name.')
        code = (row.get('course_code') or '').strip().lower()
        starts = (row.get('starts_on') or '').strip()
        if code or starts:
            day = _date(starts) if starts else None
            if not code:
                errors['course_code'] = _l('Write the course code with the start date.')
            elif day is None:
                errors['starts_on'] = _l(
                    "Write the offering's start date, such as 2026-03-02 or 02.03.2026."
                )
            else:
                item.offering = (code, day)
                offering_keys.add((code, day))
    _resolve_offerings(lines, offering_keys)
    return lines


def _resolve_offerings(lines, keys):
    """Turn each line's (code, date) into its offering, and decide who is to be enrolled:
    not those already enrolled, and nobody beyond an offering's capacity."""
    found = _offerings(keys)
    offerings = {o for matches in found.values() for o in matches}
    enrolled = _enrolled(offerings, [item.user for item in lines if item.user])
    places = {}
    for item in lines:
        if item.offering is None:
            continue
        matches = found.get(item.offering, [])
        item.offering = None
        if not matches:
            item.errors['course_code'] = _l('No offering of this course starts on this date.')
            continue
        if len(matches) > 1:
            item.errors['course_code'] = _l(
                'Several offerings of this course start on this date; enrol these people '
                "from the offering's page."
            )
            continue
        offering = matches[0]
        if offering.status == 'cancelled':
            item.errors['course_code'] = _l('This offering is cancelled.')
            continue
        item.offering = offering
        if item.user is not None and (offering.id, item.user.id) in enrolled:
            continue
        if offering.capacity is not None:
            if offering.id not in places:
                places[offering.id] = offering.capacity - accepted_count(offering)
            if places[offering.id] <= 0:
                item.errors['course_code'] = _l(
                    'The offering is full (%(n)d places).', n=offering.capacity
                )
                continue
            places[offering.id] -= 1
        item.enrol = True


def _to_invite(user, now):
    """Whether an upload should mail `user` a link to set their password."""
    if user is None:
        return True
    if user.password_hash or not user.is_active:
        return False
    return user.invited_at is None or user.invited_at <= now - REINVITE_AFTER


def send_invitation(user, *, actor, offering=None, now=None):
    """Mail `user` a link to set their password; note when. Audited. Flushes."""
    link = public_url('auth.accept_invitation', token=make_token(user, 'invitation'))
    message = notify(
        user, 'invitation', link=link, valid_for=lifetime('invitation'), offering=offering
    )
    user.invited_at = now or utcnow()
    db.session.flush()
    audit.record(actor, 'user.invited', user, after={'email': user.email})
    return message


def invite_people(text, *, actor, dry_run):
    """Check the CSV `text` and, unless `dry_run`, apply every line (or, on any bad line,
    none: Invalid with `rows`). Returns an Outcome. Flushes, never commits."""
    lines = _plan(text)
    errors = [{'index': item.line, 'errors': item.errors} for item in lines if item.errors]
    if errors:
        raise Invalid(
            _l('%(n)d lines have problems; nothing was saved.', n=len(errors)), rows=errors
        )
    now = utcnow()
    outcome = Outcome(rows=len(lines))
    for item in lines:
        user = item.user
        invite = _to_invite(user, now)
        outcome.created += user is None
        outcome.existing += user is not None
        outcome.enrolled += item.enrol
        outcome.invited += invite
        if dry_run:
            continue
        if user is None:
            values = dict(item.values)
            values['full_name_en'] = values.get('full_name_en') or romanise(values['full_name_ka'])
            user = create_user({**values, 'role': 'participant'}, actor=actor, confirmed=False)
        if item.enrol:
            # The invitation says they are enrolled; whoever gets none is told as usual.
            _enrol(item.offering, user, actor=actor, tell=not invite)
        if invite:
            send_invitation(user, actor=actor, offering=item.offering, now=now)
    return outcome


def _enrol(offering, user, *, actor, tell):
    enrollment = enroll(
        offering, {'user_id': user.id, 'status': 'accepted'}, actor=actor, tell=tell
    )
    # What the academy reports per application: the person's standing when enrolled.
    enrollment.sector = enrollment.sector or user.sector
    enrollment.organization_id = enrollment.organization_id or user.organization_id
    enrollment.position = enrollment.position or user.position
    db.session.flush()
    return enrollment
