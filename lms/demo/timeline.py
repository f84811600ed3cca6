"""The demo academy's history, drawn from one random generator: pure data, no database.

`plan_people` draws the participants, `plan_timeline` the offerings from 2016 to a few
months ahead, with their sessions, trainers, assessments, enrollments, attendance and
results, and the expert consultations. The same generator state and the same `today`
give the same academy, row for row.
"""

import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from lms.demo import vocabulary as words
from lms.people.romanisation import romanise

TBILISI = ZoneInfo('Asia/Tbilisi')
FIRST_YEAR = 2016
PARTICIPANTS = 540
#: Events a year besides the fixed ones; 2020 was the year of the pandemic.
EVENTS_PER_YEAR = {2016: 7, 2017: 9, 2018: 11, 2019: 12, 2020: 8, 2021: 10, 2022: 12}
EVENTS_LATER_YEARS = 13
#: Teaching moved online from the first lockdown until the summer of 2021.
LOCKDOWN = (date(2020, 3, 12), date(2021, 6, 30))
MONTH_WEIGHTS = {2: 2, 3: 3, 4: 3, 5: 3, 6: 3, 7: 1, 9: 2, 10: 3, 11: 3, 12: 1}
COURSES = {c['code']: c for c in words.COURSES}


@dataclass
class Person:
    email: str
    name_ka: str
    gender: str | None
    sector: str
    organization: tuple | None  # (kind, Georgian name)
    position: str | None
    region: str | None
    role: str = 'participant'
    phone: str | None = None
    #: How likely the person is to apply to anything, relative to others.
    activity: float = 1.0
    #: The chance that the person attends a session they were accepted to.
    reliability: float = 0.95

    @property
    def name_en(self):
        return romanise(self.name_ka)


@dataclass
class PlannedSession:
    starts_at: datetime
    ends_at: datetime
    topic: str


@dataclass
class PlannedEnrollment:
    email: str
    status: str
    applied_at: datetime
    decided_at: datetime | None = None
    motivation: str = ''
    #: session index -> (status, note)
    attendance: dict = field(default_factory=dict)
    #: assessment index -> score
    scores: dict = field(default_factory=dict)


@dataclass
class PlannedOffering:
    course: dict
    starts_on: date
    ends_on: date
    municipality: str | None  # Georgian name of the host municipality
    location: str
    location_en: str
    format: str
    capacity: int | None
    opens_on: date | None
    closes_on: date | None
    status: str
    created_at: datetime
    sessions: list = field(default_factory=list)
    trainers: list = field(default_factory=list)  # e-mails
    assessments: tuple = ()
    enrollments: list = field(default_factory=list)

    def enrollment_of(self, email):
        return next((e for e in self.enrollments if e.email == email), None)


@dataclass
class PlannedConsultation:
    municipality: str
    expert_email: str | None
    expert_name: str
    consulted_on: date
    topic: str
    hours: int


@dataclass
class Timeline:
    offerings: list
    consultations: list


def local(day, at):
    """A Tbilisi wall-clock time on `day`, as an aware UTC datetime."""
    return datetime.combine(day, at, TBILISI).astimezone(UTC)


def staff():
    """The demo accounts and the trainers without a login, as people (no randomness)."""
    people = [
        Person(
            email=email,
            name_ka=name,
            gender=gender,
            sector=sector,
            organization=organization,
            position=position,
            region='imereti' if key == 'participant' else 'tbilisi',
            role=role,
            activity=1.5,
            reliability=1.0,
        )
        for key, email, role, name, gender, sector, organization, position in words.ACCOUNTS
    ]
    for name, gender in words.OTHER_TRAINERS:
        first, last = romanise(name).lower().split()
        people.append(
            Person(
                email=f'{first}.{last}@{words.DOMAIN}',
                name_ka=name,
                gender=gender,
                sector='other',
                organization=None,
                position='ტრენერი',
                region='tbilisi',
                role='trainer',
            )
        )
    return people


def plan_people(rng, municipalities, taken_emails=()):
    """PARTICIPANTS people with Georgian names, sectors, organisations and positions.

    `municipalities` are (Georgian name, region code) pairs. E-mails are unique, also
    against `taken_emails`.
    """
    by_region = {}
    for kind, name_ka, _name_en, region in words.ORGANIZATIONS:
        by_region.setdefault((kind, region), []).append(name_ka)
    csos = [o[1] for o in words.ORGANIZATIONS if o[0] == 'cso']
    governments = [o[1] for o in words.ORGANIZATIONS if o[0] == 'government']
    academia = [o[1] for o in words.ORGANIZATIONS if o[0] == 'academia']
    homes = [m for m, _region in municipalities]
    home_weights = [words.HOST_WEIGHTS.get(m, 1) for m in homes]
    regions = dict(municipalities)
    emails = set(taken_emails)
    people = []
    for _ in range(PARTICIPANTS):
        gender = 'female' if rng.random() < 0.58 else 'male'
        first = rng.choice(words.FEMALE_NAMES if gender == 'female' else words.MALE_NAMES)
        last = rng.choice(words.SURNAMES)
        home = rng.choices(homes, home_weights)[0]
        sector = rng.choices(['civil_servant', 'cso', 'citizen', 'other'], [44, 29, 23, 4])[0]
        if sector == 'civil_servant' and rng.random() < 0.9:
            organization, positions = ('municipality', home), words.POSITIONS['civil_servant']
        elif sector == 'civil_servant':
            organization = ('government', rng.choice(governments))
            positions = words.POSITIONS['government']
        elif sector == 'cso':
            local_csos = by_region.get(('cso', regions[home]), [])
            name = rng.choice(local_csos) if local_csos and rng.random() < 0.8 else None
            organization, positions = ('cso', name or rng.choice(csos)), words.POSITIONS['cso']
        elif sector == 'other':
            organization, positions = (
                ('academia', rng.choice(academia)),
                words.POSITIONS['academia'],
            )
        else:
            organization, positions = None, words.POSITIONS['citizen']
        position = rng.choice(positions) if organization or rng.random() < 0.7 else None
        email = _unique_email(first, last, emails)
        phone = None
        if rng.random() < 0.6:
            digits = ''.join(str(rng.randrange(10)) for _ in range(8))
            phone = f'+995 5{digits[:2]} {digits[2:4]} {digits[4:6]} {digits[6:]}'
        roll = rng.random()
        if roll < 0.8:
            reliability = rng.uniform(0.93, 1.0)
        elif roll < 0.95:
            reliability = rng.uniform(0.75, 0.93)
        else:
            reliability = rng.uniform(0.4, 0.75)
        people.append(
            Person(
                email=email,
                name_ka=f'{first} {last}',
                gender=gender if rng.random() < 0.97 else None,
                sector=sector,
                organization=organization,
                position=position,
                region=regions[home],
                phone=phone,
                activity=rng.lognormvariate(0, 0.8),
                reliability=reliability,
            )
        )
    return people


def _unique_email(first, last, emails):
    base = f'{romanise(first)}.{romanise(last)}'.lower()
    email, n = f'{base}@{words.DOMAIN}', 1
    while email in emails:
        n += 1
        email = f'{base}{n}@{words.DOMAIN}'
    emails.add(email)
    return email


def plan_timeline(rng, *, people, staff_people, municipalities, today, now):
    """Every offering from 2016 to a few months after `today`, and the consultations.

    Past offerings are completed (one of 2020 was cancelled), one is running today, a
    few are open for applications, not yet open or closed, and two are drafts. The demo
    trainers teach current and upcoming offerings; the demo participant has past
    enrollments with attendance and results and an open application.
    """
    planner = _Planner(rng, people, staff_people, municipalities, today, now)
    for year in range(FIRST_YEAR, today.year + 1):
        planner.plan_year(year)
    planner.plan_present()
    planner.plan_enrollments()
    planner.involve_demo_accounts()
    planner.plan_attendance_and_results()
    return Timeline(planner.offerings, planner.plan_consultations())


class _Planner:
    def __init__(self, rng, people, staff_people, municipalities, today, now):
        self.rng, self.people, self.today, self.now = rng, people, today, now
        self.regions = dict(municipalities)
        self.hosts = [m for m, _region in municipalities]
        self.host_weights = [words.HOST_WEIGHTS.get(m, 1) for m in self.hosts]
        self.trainers = [p.email for p in staff_people if p.role == 'trainer']
        self.accounts = {key: email for key, email, *_rest in words.ACCOUNTS}
        #: The demo trainers teach more often than the others.
        self.trainer_weights = [
            3 if email in self.accounts.values() else 2 for email in self.trainers
        ]
        self.by_email = {p.email: p for p in [*people, *staff_people]}
        self.offerings = []

    # Offerings ---------------------------------------------------------------------

    def plan_year(self, year):
        rng = self.rng
        last_day = min(date(year, 12, 18), self.today - timedelta(days=6))
        fixed = [('CONF-LD', self._day(year, rng.choice([10, 11]), 'Thu'), 'თბილისი')]
        if year in (2017, 2019, 2022, 2024):
            town = rng.choice(['ბათუმი', 'ქუთაისი', 'თბილისი'])
            fixed.append(('CONF-PB', self._day(year, 6, 'Wed'), town))
        if year >= 2017:
            fixed.append(('FOR-YTH', self._day(year, 5, 'Sat'), self._host(big=True)))
        if year in (2018, 2021, 2023, 2025):
            fixed.append(('FOR-REG', self._day(year, 9, 'Fri'), self._host(big=True)))
        planned = [(code, day, town) for code, day, town in fixed]
        available = [
            c for c in words.COURSES if c['since'] <= year and c['kind'] in ('training', 'seminar')
        ]
        for _ in range(EVENTS_PER_YEAR.get(year, EVENTS_LATER_YEARS)):
            kind = rng.choices(['training', 'seminar'], [65, 35])[0]
            course = rng.choice([c for c in available if c['kind'] == kind])
            month = rng.choices(list(MONTH_WEIGHTS), list(MONTH_WEIGHTS.values()))[0]
            day = self._weekday(date(year, month, rng.randint(1, 28)))
            planned.append((course['code'], day, self._host()))
        for code, day, town in sorted(planned, key=lambda p: p[1]):
            offering = self._offering(COURSES[code], day, town)
            if offering.ends_on <= last_day:
                offering.status = 'completed'
                self.offerings.append(offering)
        if year == 2020:
            cancelled = self._offering(COURSES['CB-101'], date(2020, 3, 24), 'გორი', online=False)
            cancelled.status = 'cancelled'
            self.offerings.append(cancelled)

    def plan_present(self):
        """The offering running today, those open or about to open, and two drafts."""
        today, past = self.today, [o for o in self.offerings if o.status == 'completed']
        # The admins have not closed the latest one yet: it stays published.
        max(past, key=lambda o: o.ends_on).status = 'published'
        current = self._offering(COURSES['GW-101'], today - timedelta(days=9), None)
        current.status = 'published'
        current.trainers = [self.accounts['trainer']]
        self.offerings.append(current)
        upcoming = [
            # course, days ahead, host, window (opens, closes) in days from today, trainer
            ('CB-101', 12, 'თელავი', (-20, 5), 'trainer'),
            ('PH-101', 19, 'ბათუმი', (-14, 9), 'trainer2'),
            ('SEM-FOI', 8, 'რუსთავი', None, None),
            ('CB-201', 26, 'ქუთაისი', (-40, -1), None),
            ('OG-101', 33, None, (-7, 20), 'trainer'),
            ('FOR-YTH', 40, 'ზუგდიდი', (5, 30), None),
            ('YC-101', 55, 'ოზურგეთი', (-3, 40), 'trainer2'),
        ]
        for code, ahead, town, window, trainer in upcoming:
            offering = self._offering(
                COURSES[code],
                self._weekday(today + timedelta(days=ahead)),
                town,
                online=town is None,
            )
            offering.status = 'published'
            if window is None:
                offering.opens_on = offering.closes_on = None
            else:
                offering.opens_on = today + timedelta(days=window[0])
                offering.closes_on = today + timedelta(days=window[1])
            if trainer and self.accounts[trainer] not in offering.trainers:
                offering.trainers = [self.accounts[trainer], *offering.trainers[:1]]
            self.offerings.append(offering)
        for code, ahead, town in (('FAC-101', 70, 'რუსთავი'), ('CSO-101', 80, 'გორი')):
            draft = self._offering(
                COURSES[code], self._weekday(today + timedelta(days=ahead)), town
            )
            draft.status = 'draft'
            self.offerings.append(draft)
        for offering in self.offerings:
            offering.created_at = min(offering.created_at, self.now - timedelta(days=1))

    def _offering(self, course, start, town, online=None):
        rng = self.rng
        if online is None:
            online = course['mode'] == 'weekly' or LOCKDOWN[0] <= start <= LOCKDOWN[1]
        if course['kind'] == 'conference' and start.year >= 2021 and not online:
            fmt = 'hybrid'
        else:
            fmt = 'online' if online else 'in_person'
        town = None if online else town
        sessions = self._sessions(course, start, fmt)
        starts_on = sessions[0].starts_at.astimezone(TBILISI).date()
        ends_on = sessions[-1].ends_at.astimezone(TBILISI).date()
        if town is None:
            location, location_en = words.ONLINE_VENUE
        else:
            venues = words.CONFERENCE_VENUES if course['kind'] == 'conference' else words.VENUES
            venue_ka, venue_en = rng.choice(venues)
            location = venue_ka.format(town=town)
            location_en = venue_en.format(town=romanise(town))
        kind = course['kind']
        capacity = {
            'training': rng.choice([20, 25]) if not online else 30,
            'seminar': rng.choice([30, 35, 40]),
            'conference': rng.choice([120, 150]),
            'forum': rng.choice([80, 100]),
        }[kind]
        opens = closes = None
        if kind in ('training', 'seminar') or rng.random() < 0.4:
            opens = starts_on - timedelta(days=rng.randint(28, 45))
            closes = starts_on - timedelta(days=rng.randint(4, 10))
            if kind == 'forum':
                closes = None
        announced = (opens or starts_on - timedelta(days=40)) - timedelta(days=rng.randint(3, 14))
        trainers = self._trainers(
            {'training': rng.choice([1, 2, 2]), 'seminar': 1, 'conference': 3, 'forum': 2}[kind]
        )
        assessments = ()
        if course['code'] in words.ASSESSMENTS and (
            course['code'] in words.ALWAYS_ASSESSED or rng.random() < 0.5
        ):
            assessments = words.ASSESSMENTS[course['code']]
        return PlannedOffering(
            course=course,
            starts_on=starts_on,
            ends_on=ends_on,
            municipality=town,
            location=location,
            location_en=location_en,
            format=fmt,
            capacity=capacity,
            opens_on=opens,
            closes_on=closes,
            status='published',
            created_at=local(announced, time(11, rng.randint(0, 59))),
            sessions=sessions,
            trainers=trainers,
            assessments=assessments,
        )

    def _sessions(self, course, start, fmt):
        """Realistic hours: in person 10:00-13:00 and 14:00-17:00, online in the evening."""
        kind, hours, topics = course['kind'], course['hours'], course['topics']
        slots = []  # (day, start, end)
        if kind == 'training' and course['mode'] == 'weekly':
            slots = [(start + timedelta(weeks=i), time(18), time(20)) for i in range(hours // 2)]
        elif kind == 'training' and fmt == 'online':
            day = start
            for _ in range(hours // 3):
                slots.append((day, time(15), time(18)))
                day = self._weekday(day + timedelta(days=2 if day.weekday() < 2 else 3))
        elif kind == 'training':
            day = start
            for _ in range(hours // 6):
                slots += [(day, time(10), time(13)), (day, time(14), time(17))]
                day = self._weekday(day + timedelta(days=1))
        elif kind == 'seminar':
            slots = [(start, time(11), time(15)) if hours == 4 else (start, time(15), time(18))]
        elif kind == 'conference':
            slots = [(start + timedelta(days=i), time(10), time(17)) for i in range(hours // 7)]
        else:
            slots = [(start, time(10), time(16))]
        return [
            PlannedSession(local(day, begins), local(day, ends), topics[i % len(topics)])
            for i, (day, begins, ends) in enumerate(slots)
        ]

    def _trainers(self, n):
        return _weighted_sample(self.rng, self.trainers, self.trainer_weights, n)

    def _host(self, big=False):
        weights = [w * w for w in self.host_weights] if big else self.host_weights
        return self.rng.choices(self.hosts, weights)[0]

    def _day(self, year, month, weekday):
        """A `weekday` ('Wed', 'Thu', ...) in the second or third week of the month."""
        target = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].index(weekday)
        day = date(year, month, self.rng.randint(8, 16))
        return day + timedelta(days=(target - day.weekday()) % 7)

    @staticmethod
    def _weekday(day):
        return day + timedelta(days=max(0, 7 - day.weekday())) if day.weekday() >= 5 else day

    # Enrollments -------------------------------------------------------------------

    def plan_enrollments(self):
        for offering in self.offerings:
            if offering.status == 'draft':
                continue
            upcoming = offering.starts_on > self.today
            if upcoming and offering.opens_on and offering.opens_on > self.today:
                continue  # applications have not opened yet
            kind, rng = offering.course['kind'], self.rng
            wanted = {
                'training': offering.capacity * rng.uniform(0.7, 1.4),
                'seminar': rng.uniform(12, 30),
                'conference': rng.uniform(45, 80),
                'forum': rng.uniform(30, 55),
            }[kind]
            if upcoming:
                wanted *= rng.uniform(0.4, 0.8)
            applicants = self._applicants(offering, round(wanted))
            for person in applicants:
                status = self._status(offering, upcoming)
                offering.enrollments.append(self._enrollment(offering, person.email, status))
            self._respect_capacity(offering)

    def _applicants(self, offering, n):
        region = self.regions.get(offering.municipality)
        audience = offering.course['audience']
        weights = [
            p.activity * (6 if region and p.region == region else 1) * audience.get(p.sector, 1)
            for p in self.people
        ]
        return _weighted_sample(self.rng, self.people, weights, n)

    def _status(self, offering, upcoming):
        rng = self.rng
        if offering.status == 'cancelled':
            return 'withdrawn'
        if upcoming and (offering.closes_on is None or offering.closes_on >= self.today):
            return rng.choices(['applied', 'accepted', 'withdrawn'], [80, 15, 5])[0]
        weights = {
            'training': [80, 6, 6, 5, 3],
            'seminar': [88, 2, 7, 0, 3],
            'conference': [92, 0, 6, 0, 2],
            'forum': [92, 0, 6, 0, 2],
        }[offering.course['kind']]
        return rng.choices(['accepted', 'rejected', 'withdrawn', 'waitlisted', 'applied'], weights)[
            0
        ]

    def _enrollment(self, offering, email, status):
        rng = self.rng
        first = offering.opens_on or offering.starts_on - timedelta(days=35)
        last = min(offering.closes_on or offering.starts_on, offering.starts_on, self.today)
        last = max(last - timedelta(days=1), first)
        day = first + timedelta(days=rng.randint(0, (last - first).days))
        applied_at = min(local(day, time(rng.randint(9, 22), rng.randint(0, 59))), self.now)
        decided_at = None
        if status != 'applied':
            decided_day = min(
                (offering.closes_on or day) + timedelta(days=rng.randint(1, 3)),
                offering.starts_on - timedelta(days=1),
            )
            decided_at = max(applied_at, min(local(decided_day, time(12)), self.now))
        motivation = ''
        if offering.course['kind'] == 'training' and rng.random() < 0.35:
            motivation = rng.choice(words.MOTIVATIONS)
        return PlannedEnrollment(email, status, applied_at, decided_at, motivation)

    def _respect_capacity(self, offering):
        accepted = [e for e in offering.enrollments if e.status == 'accepted']
        for enrollment in accepted[offering.capacity :]:
            enrollment.status = 'waitlisted'

    def involve_demo_accounts(self):
        """The demo participant's history and open application; the trainers' teaching."""
        email = self.accounts['participant']

        def latest(code, when='past', **conditions):
            matching = [
                o
                for o in self.offerings
                if o.course['code'] == code
                and all(getattr(o, k) == v for k, v in conditions.items())
                and {
                    'past': o.status == 'completed',
                    'now': o.starts_on <= self.today <= o.ends_on,
                    'ahead': o.status == 'published' and o.starts_on > self.today,
                }[when]
            ]
            return max(matching, key=lambda o: o.starts_on, default=None)

        chosen = [
            (latest('CB-201', format='in_person'), 'accepted'),
            (latest('CONF-LD'), 'accepted'),
            (latest('SEM-VSP'), 'accepted'),
            (latest('PET-101'), 'waitlisted'),
            (latest('GW-101', 'now'), 'accepted'),
            (latest('PH-101', 'ahead'), 'applied'),
        ]
        for offering, status in chosen:
            if offering is None:
                continue
            enrollment = offering.enrollment_of(email)
            if enrollment is None:
                enrollment = self._enrollment(offering, email, status)
                offering.enrollments.append(enrollment)
            elif status != 'applied' and enrollment.decided_at is None:
                enrollment.decided_at = self._enrollment(offering, email, status).decided_at
            enrollment.status = status
            if status == 'applied':
                enrollment.decided_at = None
            others = [
                e for e in offering.enrollments if e.status == 'accepted' and e is not enrollment
            ]
            if status == 'accepted' and len(others) >= offering.capacity:
                others[-1].status = 'waitlisted'

    # Attendance, results, consultations --------------------------------------------

    def plan_attendance_and_results(self):
        rng = self.rng
        for offering in self.offerings:
            if offering.status == 'cancelled':
                continue
            started = [i for i, s in enumerate(offering.sessions) if s.starts_at <= self.now]
            accepted = [e for e in offering.enrollments if e.status == 'accepted']
            for enrollment in accepted:
                person = self.by_email[enrollment.email]
                for i in started:
                    enrollment.attendance[i] = self._attendance(person)
            if not offering.assessments or offering.ends_on >= self.today:
                continue
            for enrollment in accepted:
                attended = sum(
                    1
                    for status, _note in enrollment.attendance.values()
                    if status in ('present', 'late')
                )
                if attended < len(started) / 2:
                    continue
                strong = self.by_email[enrollment.email].reliability >= 1.0
                for i, (_title, max_score, _pass, required) in enumerate(offering.assessments):
                    if not strong and rng.random() > (0.95 if required else 0.65):
                        continue
                    mean = 0.9 if strong else 0.78
                    share = min(1.0, max(0.2, rng.gauss(mean, 0.05 if strong else 0.13)))
                    enrollment.scores[i] = Decimal(round(share * max_score))

    def _attendance(self, person):
        rng = self.rng
        if rng.random() < person.reliability:
            if rng.random() < 0.07:
                return 'late', 'საცობი' if rng.random() < 0.3 else ''
            return 'present', ''
        if rng.random() < 0.4:
            return 'excused', rng.choice(['ავადმყოფობის გამო', 'სამსახურეობრივი მივლინება', ''])
        return 'absent', ''

    def plan_consultations(self):
        rng, consultations = self.rng, []
        for year in range(FIRST_YEAR + 1, self.today.year + 1):
            for _ in range(rng.randint(4, 9)):
                day = self._weekday(date(year, rng.randint(1, 12), rng.randint(1, 28)))
                if day >= self.today:
                    continue
                if rng.random() < 0.7:
                    expert_email = rng.choice(self.trainers)
                    expert_name = self.by_email[expert_email].name_ka
                else:
                    expert_email, expert_name = None, rng.choice(words.GUEST_EXPERTS)
                consultations.append(
                    PlannedConsultation(
                        municipality=self._host(),
                        expert_email=expert_email,
                        expert_name=expert_name,
                        consulted_on=day,
                        topic=rng.choice(words.CONSULTATION_TOPICS),
                        hours=rng.choice([2, 3, 4, 6]),
                    )
                )
        return sorted(consultations, key=lambda c: c.consulted_on)


def _weighted_sample(rng, items, weights, n):
    """`n` distinct items, each drawn with probability in proportion to its weight.

    Efraimidis and Spirakis: the n largest keys u ** (1 / w), u uniform in (0, 1).
    """
    keyed = [
        (math.log(rng.random() or 1e-300) / weight, i)
        for i, weight in enumerate(weights)
        if weight > 0
    ]
    keyed.sort(reverse=True)
    return [items[i] for _key, i in keyed[:n]]
