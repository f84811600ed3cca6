"""The import of past years: every line of the academy's spreadsheet checked, then all of
them applied in one transaction, or none (API.md, "Import of past years").

One line is one person in one event. What it becomes:

- the course by its code (any case); a new code makes a course with the line's title,
  kind and hours; a known code must have the line's kind;
- the offering by (course, starts_on, ends_on, host municipality): a new one is created
  `completed` (it is over, and counts as held in the statistics), `online` when the line
  names no municipality, without sessions: nobody's attendance is known, so the live rule
  of eligibility can never issue a signed certificate for it;
- the host municipality by its Georgian name as in the reference list of 64 (NFC,
  trimmed, spaces collapsed; "… მუნიციპალიტეტი" is read as the municipality too, in the
  nominative or the genitive: ზუგდიდის მუნიციპალიტეტი is ზუგდიდი);
- the organisation by its Georgian or English name (any case); a municipality's name is
  that municipality; an unknown name makes an organisation of kind `other`;
- the person by e-mail (any case), else by Georgian name and organisation. A new person
  is a participant without a password (they set one by "Forgot your password?"), with the
  Latin name romanised when empty; a person without an e-mail gets a placeholder address
  under ARCHIVE_EMAIL_DOMAIN (reserved, never delivered to), as every account needs one;
- the enrollment with the line's outcome: `completed` is `accepted` with
  `archive_outcome = 'completed'`; every imported enrollment keeps its outcome there;
- `certificate_number`: a certificate issued on paper before the system, recorded from
  the archive (certificates.ArchiveCertificate), verifiable by that number; issued on
  `certificate_issued_on`, else the event's last day. It needs the outcome `completed`.

What exists already is left as it is and not counted: the same file imported twice changes
nothing the second time. Every line is checked first, against the database and the other
lines; one bad line and nothing changes (Invalid with `rows` by line). The writes are a
fixed number of bulk statements whatever the size of the file.
"""

import csv
import hashlib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, select

from certificates import (
    MAX_ARCHIVE_NUMBER_LENGTH,
    ArchiveCertificate,
    Certificate,
    archive_key,
    read_serial,
)
from lms import audit
from lms.errors import Invalid
from lms.extensions import academy_today, db, utcnow
from lms.history.reading import read_table
from lms.labels import LABELS
from lms.models import (
    ARCHIVE_OUTCOMES,
    COURSE_KINDS,
    GENDERS,
    SECTORS,
    Course,
    Enrollment,
    Offering,
    Organization,
    User,
)
from lms.organizations.service import MUNICIPALITIES_CSV, load_municipalities
from lms.people.romanisation import romanise
from lms.validation import Field

REQUIRED_COLUMNS = (
    'starts_on',
    'ends_on',
    'kind',
    'course_code',
    'course_title_ka',
    'municipality',
    'full_name_ka',
    'outcome',
)
OPTIONAL_COLUMNS = (
    'course_title_en',
    'hours',
    'location',
    'location_en',
    'full_name_en',
    'email',
    'gender',
    'sector',
    'organization',
    'position',
    'certificate_number',
    'certificate_issued_on',
)
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
#: Where people without an e-mail address get their placeholder one (RFC 2606: reserved).
ARCHIVE_EMAIL_DOMAIN = 'archive.invalid'
#: The earliest year an event may start (the statistics' range begins there).
FIRST_YEAR = 2000
#: How often a long import reports its progress, in lines.
PROGRESS_EVERY = 5000
#: Rows per bulk INSERT.
_BATCH = 10_000
_MUNICIPALITY = 'მუნიციპალიტეტი'
_REQUIRED = _l('This field is required.')
_SPECS = {
    'course_code': Field(max_length=40),
    'course_title_ka': Field(max_length=300),
    'course_title_en': Field(max_length=300, required=False),
    'full_name_ka': Field(max_length=200),
    'full_name_en': Field(max_length=200, required=False),
    'email': Field('email', max_length=254, required=False),
    'organization': Field(max_length=200, required=False),
    'position': Field(max_length=200, required=False),
    'location': Field(max_length=300, required=False),
    'location_en': Field(max_length=300, required=False),
    'municipality': Field(max_length=200, required=False),
    'certificate_number': Field(max_length=MAX_ARCHIVE_NUMBER_LENGTH, required=False),
    'hours': Field('decimal', required=False, min=0, max=9999.99),
}
_SPACES = re.compile(r'\s+')
_ISO_DATE = re.compile(r'[0-9]{4}-[0-9]{2}-[0-9]{2}')


@dataclass
class Counts:
    """What an import created (or, on a dry run, would create)."""

    offerings: int = 0
    people: int = 0
    enrollments: int = 0
    certificates: int = 0
    rows: int = 0

    def summary(self):
        """The contract's last line (API.md)."""
        return (
            f'imported: {self.offerings} offerings, {self.people} people, '
            f'{self.enrollments} enrollments, {self.certificates} certificates'
        )


@dataclass
class _Row:
    line: int
    values: dict
    errors: dict
    person: tuple | None = None
    offering: tuple | None = None
    organization: tuple | None = None


@dataclass
class _Plan:
    """Everything the file asks for, resolved against the database; new things by key."""

    rows: list = field(default_factory=list)
    municipalities: dict = field(default_factory=dict)  # Georgian name -> id or None
    organizations: dict = field(default_factory=dict)  # ('new', key) -> values
    courses: dict = field(default_factory=dict)  # ('new', code key) -> values
    offerings: dict = field(default_factory=dict)  # offering key -> values (new only)
    people: dict = field(default_factory=dict)  # person key -> values (new only)
    person_ids: dict = field(default_factory=dict)  # person key -> existing user id
    offering_ids: dict = field(default_factory=dict)  # offering key -> existing id
    enrollments: dict = field(default_factory=dict)  # (offering, person) -> row (new only)
    enrollment_ids: dict = field(default_factory=dict)  # (offering id, user id) -> id
    certificates: list = field(default_factory=list)  # rows whose certificate is new


# -- the reference data and the words people write --------------------------------------


def _nfc(text):
    return _SPACES.sub(' ', unicodedata.normalize('NFC', text)).strip()


def _genitive(name):
    """The genitive Georgian uses before მუნიციპალიტეტი: ზუგდიდი → ზუგდიდის, ქედა → ქედის,
    თეთრიწყარო → თეთრიწყაროს."""
    if name.endswith(('ი', 'ა')):
        return name[:-1] + 'ის'
    return name + 'ს'


def municipality_names():
    """{every accepted spelling: the reference Georgian name} of the 64 municipalities."""
    names = {}
    with MUNICIPALITIES_CSV.open(encoding='utf-8') as fh:
        for row in csv.DictReader(fh):
            name = _nfc(row['name_ka'])
            for spelling in (name, f'{name} {_MUNICIPALITY}', f'{_genitive(name)} {_MUNICIPALITY}'):
                names.setdefault(spelling, name)
    return names


def _words(kind, codes):
    """{lower-case code or its Georgian or English label: code} for `kind` of LABELS."""
    words = {code: code for code in codes}
    for code, label in LABELS[kind].items():
        for locale in ('ka', 'en'):
            with force_locale(locale):
                words.setdefault(_nfc(str(label)).lower(), code)
    return words


def _date(text):
    text = text.strip()
    if _ISO_DATE.fullmatch(text):  # the common case, without strptime's cost
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None
    for pattern in ('%Y-%m-%d', '%d.%m.%Y', '%Y-%m-%d %H:%M:%S'):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


# -- one line ---------------------------------------------------------------------------


class _Reader:
    """Checks lines one by one: each column on its own, then the line's own rules."""

    def __init__(self, header):
        index = {}
        for position, name in enumerate(header):
            index.setdefault(name, position)
        #: (column, position) of the columns the import reads; others are ignored.
        self.positions = [(name, index[name]) for name in COLUMNS if name in index]
        self.municipalities = municipality_names()
        self.sectors = _words('sector', SECTORS)
        self.genders = _words('gender', GENDERS)
        self.kinds = _words('course_kind', COURSE_KINDS)
        self.today = academy_today()
        self.seen = {}

    def cell(self, cells, name):
        return cells.get(name, '')

    def read(self, line, cells):
        n = len(cells)
        cells = {name: cells[i] for name, i in self.positions if i < n}
        values, errors = {}, {}
        for name, spec in _SPECS.items():
            value, error = self._convert(name, spec, self.cell(cells, name))
            values[name] = value
            if error is not None:
                errors[name] = error
        for name in ('starts_on', 'ends_on', 'certificate_issued_on'):
            raw = self.cell(cells, name).strip()
            values[name] = _date(raw) if raw else None
            if raw and values[name] is None:
                errors[name] = _l('Write a date as YYYY-MM-DD or DD.MM.YYYY, such as 2017-03-02.')
            elif not raw and name != 'certificate_issued_on':
                errors[name] = _REQUIRED
        self._choice(cells, 'kind', self.kinds, values, errors, required=True)
        self._choice(cells, 'sector', self.sectors, values, errors)
        self._choice(cells, 'gender', self.genders, values, errors)
        outcome = _nfc(self.cell(cells, 'outcome')).lower()
        values['outcome'] = outcome if outcome in ARCHIVE_OUTCOMES else None
        if not outcome:
            errors['outcome'] = _REQUIRED
        elif values['outcome'] is None:
            errors['outcome'] = _l(
                'Choose one of: %(choices)s.', choices=', '.join(ARCHIVE_OUTCOMES)
            )
        if values.get('municipality'):
            name = self.municipalities.get(values['municipality'])
            if name is None:
                errors['municipality'] = _l(
                    "Not one of Georgia's 64 municipalities: write its Georgian name as in "
                    'the reference list (such as ქუთაისი), or leave it empty for an online event.'
                )
            values['municipality'] = name
        self._line_rules(values, errors)
        return _Row(line, values, errors)

    def _convert(self, name, spec, raw):
        """(value, None) or (None, message) for one cell, by lms.validation's rules. The same
        texts recur line after line (titles, places, organisations, a person's address):
        each is checked once."""
        key = (name, raw)
        known = self.seen.get(key)
        if known is not None:
            return known
        if not raw.strip():
            answer = (None, _REQUIRED if spec.required else None)
        else:
            try:
                value = spec.convert(raw)
            except ValueError as exc:
                answer = (None, exc.args[0])
            else:
                empty = value == ''  # nothing left once invisible marks went
                answer = (None, _REQUIRED if spec.required else None) if empty else (value, None)
        self.seen[key] = answer
        return answer

    def _choice(self, cells, name, words, values, errors, required=False):
        raw = _nfc(self.cell(cells, name)).lower()
        values[name] = words.get(raw) if raw else None
        if not raw and required:
            errors[name] = _REQUIRED
        elif raw and values[name] is None:
            codes = sorted(set(words.values()))
            errors[name] = _l('Choose one of: %(choices)s.', choices=', '.join(codes))

    def _line_rules(self, values, errors):
        starts, ends = values.get('starts_on'), values.get('ends_on')
        if starts and starts.year < FIRST_YEAR:
            errors['starts_on'] = _l('The academy keeps events from %(year)d on.', year=FIRST_YEAR)
        if starts and ends and ends < starts:
            errors['ends_on'] = _l('The event ends before it starts.')
        elif ends and ends > self.today:
            errors['ends_on'] = _l('The event has not ended yet: only past events are imported.')
        number, issued = values.get('certificate_number'), values.get('certificate_issued_on')
        if number and values.get('outcome') and values['outcome'] != 'completed':
            errors['certificate_number'] = _l(
                'A certificate was issued only to someone who completed: the outcome must be '
                'completed.'
            )
        if issued and not number:
            errors['certificate_issued_on'] = _l('A date of issue needs a certificate_number.')
        elif issued and starts and (issued < starts or issued > self.today):
            errors['certificate_issued_on'] = _l(
                'The certificate must be issued between the start of the event and today.'
            )


# -- the whole file ---------------------------------------------------------------------


def _read_file(data, filename):
    header, rows = read_table(data, filename)
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        message = _l(
            'The first line lacks the columns %(missing)s. Required: %(required)s; '
            'optional: %(optional)s.',
            missing=', '.join(missing),
            required=', '.join(REQUIRED_COLUMNS),
            optional=', '.join(OPTIONAL_COLUMNS),
        )
        raise Invalid(message, fields={'file': message})
    if not rows:
        message = _l('The file holds no lines to import under its header.')
        raise Invalid(message, fields={'file': message})
    return header, rows


def _chunks(items, size=500):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


class _Resolver:
    """Matches what the lines name with what the database holds, loaded once."""

    def __init__(self, plan):
        self.plan = plan
        self.municipality_ids = dict(
            db.session.execute(
                select(Organization.name_ka, Organization.id).where(
                    Organization.kind == 'municipality'
                )
            ).all()
        )
        self.organizations = defaultdict(list)
        for org_id, name_ka, name_en in db.session.execute(
            select(Organization.id, Organization.name_ka, Organization.name_en)
        ):
            for name in {name_ka.casefold(), (name_en or '').casefold()} - {''}:
                self.organizations[name].append(org_id)
        self.courses = {
            code.casefold(): (course_id, kind)
            for course_id, code, kind in db.session.execute(
                select(Course.id, Course.code, Course.kind)
            )
        }
        self.users_by_email = {}
        self.users_by_name = defaultdict(list)
        for user_id, email, name, org_id in db.session.execute(
            select(User.id, User.email, User.full_name_ka, User.organization_id)
        ):
            self.users_by_email[email.lower()] = user_id
            self.users_by_name[(name, org_id)].append(user_id)
        self.offerings = {}
        for offering_id, course_id, starts, ends, municipality_id in db.session.execute(
            select(
                Offering.id,
                Offering.course_id,
                Offering.starts_on,
                Offering.ends_on,
                Offering.municipality_id,
            ).order_by(Offering.id)
        ):
            key = (('id', course_id), starts, ends, _org_token(municipality_id))
            self.offerings.setdefault(key, offering_id)
        self.course_lines = {}

    def municipality(self, name):
        """The host or employer municipality's token: ('id', id), or ('municipality', name)
        when the reference municipality is not in the database yet."""
        if name is None:
            return None
        self.plan.municipalities.setdefault(name, self.municipality_ids.get(name))
        found = self.municipality_ids.get(name)
        return ('id', found) if found else ('municipality', name)

    def organization(self, row, municipalities):
        name = row.values.get('organization')
        if not name:
            return None
        municipality = municipalities.get(name)
        if municipality is not None:
            return self.municipality(municipality)
        found = self.organizations.get(name.casefold(), [])
        if len(found) > 1:
            row.errors['organization'] = _l(
                "Several organisations have this name; write the other language's name."
            )
            return None
        if found:
            return ('id', found[0])
        key = ('new', name.casefold())
        self.plan.organizations.setdefault(key, {'name_ka': name})
        return key

    def course(self, row):
        values = row.values
        key = values['course_code'].casefold()
        existing = self.courses.get(key)
        if existing is not None:
            if existing[1] != values['kind']:
                row.errors['kind'] = _l(
                    'Course %(code)s is a %(kind)s in the catalogue.',
                    code=values['course_code'],
                    kind=LABELS['course_kind'][existing[1]],
                )
                return None
            return ('id', existing[0])
        token = ('new', key)
        first = self.plan.courses.get(token)
        if first is None:
            self.plan.courses[token] = {
                'code': values['course_code'],
                'title_ka': values['course_title_ka'],
                'title_en': values['course_title_en'] or '',
                'kind': values['kind'],
                'hours': values['hours'] or Decimal(0),
            }
            self.course_lines[token] = row.line
        elif first['kind'] != values['kind']:
            row.errors['kind'] = _l(
                'Line %(line)d gives this course another kind.', line=self.course_lines[token]
            )
            return None
        return token


def _org_token(org_id):
    return ('id', org_id) if org_id is not None else None


def _placeholder_email(name, organization, taken):
    digest = hashlib.sha256(repr((name, organization)).encode('utf-8')).hexdigest()[:20]
    email, n = f'archive-{digest}@{ARCHIVE_EMAIL_DOMAIN}', 1
    while email in taken:
        n += 1
        email = f'archive-{digest}-{n}@{ARCHIVE_EMAIL_DOMAIN}'
    taken.add(email)
    return email


def _plan(data, filename, progress):
    header, lines = _read_file(data, filename)
    reader = _Reader(header)
    plan = _Plan()
    resolver = _Resolver(plan)
    total = len(lines)
    for done, (line, cells) in enumerate(lines, start=1):
        plan.rows.append(reader.read(line, cells))
        if progress and done % PROGRESS_EVERY == 0:
            progress(done, total)
    good = [row for row in plan.rows if not row.errors]
    for row in good:
        row.organization = resolver.organization(row, reader.municipalities)
        course = resolver.course(row)
        host = resolver.municipality(row.values['municipality'])
        if course is not None:
            row.offering = (course, row.values['starts_on'], row.values['ends_on'], host)
    _people(plan, resolver, [row for row in good if not row.errors])
    _offerings(plan, resolver)
    _enrollments(plan)
    _certificates(plan)
    if progress:
        progress(total, total)
    return plan


def _people(plan, resolver, rows):
    """Who each line is: by e-mail first (every line with one, whatever its place in the
    file), then by Georgian name and organisation."""
    by_name = {}
    for row in rows:
        email = row.values['email']
        if not email:
            continue
        row.person = ('email', email)
        by_name.setdefault((row.values['full_name_ka'], row.organization), row.person)
        _person(plan, row, resolver.users_by_email.get(email))
    for row in rows:
        if row.person is not None:
            continue
        name, organization = row.values['full_name_ka'], row.organization
        row.person = by_name.get((name, organization))
        if row.person is not None:
            _person(plan, row, plan.person_ids.get(row.person))
            continue
        found = []
        if organization is None or organization[0] == 'id':
            found = resolver.users_by_name.get((name, organization and organization[1]), [])
        if len(found) > 1:
            row.errors['full_name_ka'] = _l(
                'Several people of the academy have this name in this organisation: add '
                'the e-mail address to tell them apart.'
            )
            continue
        row.person = ('name', name, organization)
        by_name[(name, organization)] = row.person
        _person(plan, row, found[0] if found else None)


def _person(plan, row, existing_id):
    if existing_id is not None:
        plan.person_ids[row.person] = existing_id
        return
    if row.person in plan.people:
        return
    values = row.values
    plan.people[row.person] = {
        'email': values['email'],
        'full_name_ka': values['full_name_ka'],
        'full_name_en': values['full_name_en'],
        'sector': values['sector'] or 'other',
        'gender': values['gender'],
        'position': values['position'],
        'organization': row.organization,
    }


def _offerings(plan, resolver):
    for row in plan.rows:
        if row.errors or row.offering is None:
            continue
        key = row.offering
        if key in plan.offering_ids or key in plan.offerings:
            continue
        existing = resolver.offerings.get(key)
        if existing is not None:
            plan.offering_ids[key] = existing
            continue
        plan.offerings[key] = {
            'location': row.values['location'] or '',
            'location_en': row.values['location_en'] or '',
        }


def _enrollments(plan):
    """Each person once per event; what the database has already is left as it is."""
    pairs = {
        (plan.offering_ids[row.offering], plan.person_ids[row.person])
        for row in plan.rows
        if not row.errors and row.offering in plan.offering_ids and row.person in plan.person_ids
    }
    for part in _chunks(sorted(pairs)):
        offering_ids = {offering_id for offering_id, _ in part}
        user_ids = {user_id for _, user_id in part}
        for enrollment_id, offering_id, user_id in db.session.execute(
            select(Enrollment.id, Enrollment.offering_id, Enrollment.user_id).where(
                Enrollment.offering_id.in_(offering_ids), Enrollment.user_id.in_(user_ids)
            )
        ):
            if (offering_id, user_id) in pairs:
                plan.enrollment_ids[(offering_id, user_id)] = enrollment_id
    seen = {}
    for row in plan.rows:
        if row.errors:
            continue
        key = (row.offering, row.person)
        if key in seen:
            row.errors['full_name_ka'] = _l(
                'The same person in the same event as line %(line)d.', line=seen[key]
            )
            continue
        seen[key] = row.line
        if _existing_enrollment(plan, row) is None:
            plan.enrollments[key] = row


def _existing_enrollment(plan, row):
    offering_id = plan.offering_ids.get(row.offering)
    user_id = plan.person_ids.get(row.person)
    if offering_id is None or user_id is None:
        return None
    return plan.enrollment_ids.get((offering_id, user_id))


def _certificates(plan):
    """Each archive number once; a number recorded already must be this line's (a file
    imported again), and none may be the serial of a certificate this system signed."""
    rows = [r for r in plan.rows if not r.errors and r.values['certificate_number']]
    keys = {archive_key(r.values['certificate_number']) for r in rows}
    recorded = {}
    for part in _chunks(keys):
        recorded.update(
            (key, (enrollment_id, offering_id, user_id))
            for key, enrollment_id, offering_id, user_id in db.session.execute(
                select(
                    ArchiveCertificate.number_key,
                    ArchiveCertificate.enrollment_id,
                    Enrollment.offering_id,
                    Enrollment.user_id,
                )
                .join(Enrollment, Enrollment.id == ArchiveCertificate.enrollment_id)
                .where(ArchiveCertificate.number_key.in_(part))
            )
        )
    serials = {read_serial(r.values['certificate_number']) for r in rows} - {None}
    signed = set()
    for part in _chunks(serials):
        signed.update(
            db.session.scalars(select(Certificate.serial).where(Certificate.serial.in_(part)))
        )
    seen = {}
    for row in rows:
        number = row.values['certificate_number']
        key = archive_key(number)
        if key in seen:
            row.errors['certificate_number'] = _l(
                'The same certificate number as line %(line)d.', line=seen[key]
            )
            continue
        seen[key] = row.line
        if read_serial(number) in signed:
            row.errors['certificate_number'] = _l(
                'This is the serial of a certificate the system issued, not an archive number.'
            )
        elif key in recorded:
            _, offering_id, user_id = recorded[key]
            if (plan.offering_ids.get(row.offering), plan.person_ids.get(row.person)) != (
                offering_id,
                user_id,
            ):
                row.errors['certificate_number'] = _l(
                    'This certificate number is recorded already, for another person or event.'
                )
        else:
            plan.certificates.append(row)


def _counts(plan):
    return Counts(
        offerings=len(plan.offerings),
        people=len(plan.people),
        enrollments=len(plan.enrollments),
        certificates=len(plan.certificates),
        rows=len(plan.rows),
    )


def problems(plan):
    """[{'index': line, 'errors': {column: message}}] of every bad line, in file order."""
    return [{'index': row.line, 'errors': row.errors} for row in plan.rows if row.errors]


def import_history(data, filename='', *, actor, dry_run, progress=None):
    """Check the spreadsheet `data` (.xlsx or CSV bytes) and, unless `dry_run`, apply it.

    Returns the Counts of what was (or would be) created. Raises Invalid naming the
    `file` for a file that cannot be read or lacks a required column, and Invalid with
    `rows` (every bad line, by its number) when any line is wrong; nothing is written
    then. `progress(done, total)` is told every PROGRESS_EVERY lines checked. Flushes,
    never commits: the caller's one commit applies every line.
    """
    plan = _plan(data, filename, progress)
    bad = problems(plan)
    if bad:
        raise Invalid(
            _l(
                '%(n)d of %(total)d lines have problems; nothing was imported.',
                n=len(bad),
                total=len(plan.rows),
            ),
            rows=bad,
        )
    counts = _counts(plan)
    if not dry_run:
        _write(plan, actor=actor, filename=filename, digest=hashlib.sha256(data).hexdigest())
    return counts


# -- writing: a handful of bulk statements ----------------------------------------------


def _inserted_ids(model, rows):
    if not rows:
        return []
    table = model.__table__
    ids = []
    for start in range(0, len(rows), _BATCH):
        result = db.session.execute(
            insert(table).returning(table.c.id, sort_by_parameter_order=True),
            rows[start : start + _BATCH],
        )
        ids.extend(result.scalars())
    return ids


def _write(plan, *, actor, filename, digest):
    now = utcnow()
    ids = {}
    if any(found is None for found in plan.municipalities.values()):
        load_municipalities()
        for name, org_id in db.session.execute(
            select(Organization.name_ka, Organization.id).where(
                Organization.kind == 'municipality',
                Organization.name_ka.in_(list(plan.municipalities)),
            )
        ):
            ids[('municipality', name)] = org_id
    organizations = list(plan.organizations.items())
    new_ids = _inserted_ids(
        Organization,
        [
            {'name_ka': v['name_ka'], 'name_en': romanise(v['name_ka']), 'kind': 'other'}
            for _, v in organizations
        ],
    )
    ids.update(zip((key for key, _ in organizations), new_ids, strict=True))

    def org_id(token):
        if token is None:
            return None
        return token[1] if token[0] == 'id' else ids[token]

    courses = list(plan.courses.items())
    new_ids = _inserted_ids(
        Course,
        [
            {
                **values,
                'description_ka': '',
                'description_en': '',
                'min_attendance_pct': 80,
                'grants_certificate': True,
                'created_at': now,
            }
            for _, values in courses
        ],
    )
    course_ids = dict(zip((key for key, _ in courses), new_ids, strict=True))

    offerings = list(plan.offerings.items())
    new_ids = _inserted_ids(
        Offering,
        [
            {
                'course_id': course[1] if course[0] == 'id' else course_ids[course],
                'starts_on': starts,
                'ends_on': ends,
                'municipality_id': org_id(host),
                'format': 'in_person' if host else 'online',
                'status': 'completed',
                'created_at': now,
                **values,
            }
            for (course, starts, ends, host), values in offerings
        ],
    )
    offering_ids = dict(plan.offering_ids)
    offering_ids.update(zip((key for key, _ in offerings), new_ids, strict=True))

    people = list(plan.people.items())
    taken = set(
        db.session.scalars(select(User.email).where(User.email.like(f'%@{ARCHIVE_EMAIL_DOMAIN}')))
    )
    new_ids = _inserted_ids(
        User,
        [
            {
                'email': v['email'] or _placeholder_email(v['full_name_ka'], key[2], taken),
                'password_hash': None,
                'full_name_ka': v['full_name_ka'],
                'full_name_en': v['full_name_en'] or romanise(v['full_name_ka']),
                'role': 'participant',
                'sector': v['sector'],
                'organization_id': org_id(v['organization']),
                'position': v['position'],
                'gender': v['gender'],
                'is_active': True,
                'created_at': now,
                'session_version': 0,
            }
            for key, v in people
        ],
    )
    user_ids = dict(plan.person_ids)
    user_ids.update(zip((key for key, _ in people), new_ids, strict=True))

    enrollments = list(plan.enrollments.values())
    enrollment_rows = [_enrollment(row, offering_ids, user_ids, org_id) for row in enrollments]
    new_ids = _inserted_ids(Enrollment, enrollment_rows)
    enrollment_ids = dict(plan.enrollment_ids)
    enrollment_ids.update(
        ((values['offering_id'], values['user_id']), new_id)
        for values, new_id in zip(enrollment_rows, new_ids, strict=True)
    )
    certificates = [
        _certificate(row, enrollment_ids, offering_ids, user_ids, plan, now)
        for row in plan.certificates
    ]
    for start in range(0, len(certificates), _BATCH):
        db.session.execute(
            insert(ArchiveCertificate.__table__), certificates[start : start + _BATCH]
        )
    audit.record_many(
        actor,
        'enrollment.imported',
        'enrollments',
        [
            (new_id, None, {'status': v['status'], 'archive_outcome': v['archive_outcome']}, {})
            for v, new_id in zip(enrollment_rows, new_ids, strict=True)
        ],
    )
    counts = _counts(plan)
    summary = {
        'file': filename,
        'sha256': digest,
        'lines': counts.rows,
        'offerings': counts.offerings,
        'people': counts.people,
        'enrollments': counts.enrollments,
        'certificates': counts.certificates,
    }
    audit.record_many(actor, 'history.imported', 'enrollments', [(None, None, summary, {})])
    db.session.flush()


def _enrollment(row, offering_ids, user_ids, org_id):
    values = row.values
    outcome = values['outcome']
    starts = datetime.combine(values['starts_on'], datetime.min.time(), tzinfo=UTC)
    return {
        'offering_id': offering_ids[row.offering],
        'user_id': user_ids[row.person],
        'status': 'accepted' if outcome == 'completed' else outcome,
        'archive_outcome': outcome,
        'motivation': '',
        'applied_at': starts,
        'sector': values['sector'],
        'organization_id': org_id(row.organization),
        'position': values['position'],
    }


def _certificate(row, enrollment_ids, offering_ids, user_ids, plan, now):
    values = row.values
    course = row.offering[0]
    course_values = plan.courses.get(course) or {}
    number = values['certificate_number']
    return {
        'number': number,
        'number_key': archive_key(number),
        'enrollment_id': enrollment_ids[(offering_ids[row.offering], user_ids[row.person])],
        'holder_name_ka': values['full_name_ka'],
        'holder_name_en': values['full_name_en'] or romanise(values['full_name_ka']),
        'course_title_ka': course_values.get('title_ka') or values['course_title_ka'],
        'course_title_en': course_values.get('title_en') or values['course_title_en'] or '',
        'course_kind': values['kind'],
        'hours': values['hours'],
        'starts_on': values['starts_on'],
        'ends_on': values['ends_on'],
        'issued_on': values['certificate_issued_on'] or values['ends_on'],
        'imported_at': now,
    }
