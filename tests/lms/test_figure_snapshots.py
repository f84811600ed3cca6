"""The public figures as the job worker keeps them (lms/statistics/snapshots.py): pages
read what was last counted, a stale count is shown once more while a job counts again,
and only a range never counted (or counted over a day ago) is counted in the request.

Jobs run in-process right after the request's commit here (JOBS_IMMEDIATE), as a worker
would run them a moment later; each "other process" is this one with its own memory of
the figures emptied (lms.caching.forget_all).
"""

from datetime import date, timedelta

import pytest

from lms.caching import forget_all
from lms.extensions import utcnow
from lms.models import FigureSnapshot
from lms.statistics import snapshots, tasks
from lms.statistics.figures import default_range, figures
from tests.statements import count_statements

URL = '/api/v1/stats?from=2024&to=2025'

pytestmark = pytest.mark.app_config(STATS_CACHE_SECONDS=60)


@pytest.fixture
def offering(create_offering):
    return create_offering(starts_on=date(2025, 3, 3), ends_on=date(2025, 3, 4), sessions=0)


@pytest.fixture
def clock(monkeypatch):
    """The snapshots' clock, moved by `clock.move(seconds)`."""

    class Clock:
        now = utcnow()

        def move(self, seconds):
            self.now += timedelta(seconds=seconds)

    moved = Clock()
    monkeypatch.setattr(snapshots, 'utcnow', lambda: moved.now)
    return moved


def participants(client, app):
    forget_all(app)  # another process: nothing in its memory
    response = client.get(URL)
    assert response.status_code == 200
    return response.get_json()['participants']


def counts_in(statements):
    """How many of `statements` counted people (the figures' own queries)."""
    return sum('count(distinct(enrollments.user_id))' in s.lower() for s in statements)


def test_a_range_asked_for_the_first_time_is_counted_and_kept(
    app, client, db, offering, create_enrollment, clock
):
    create_enrollment(offering)
    create_enrollment(offering)

    assert participants(client, app) == 2

    kept = db.session.execute(db.select(FigureSnapshot)).scalar_one()
    assert (kept.first_year, kept.last_year, kept.counted_at) == (2024, 2025, clock.now)
    assert snapshots.loads(kept.figures_json) == figures(2024, 2025)


def test_every_process_reads_the_kept_figures_without_counting(
    app, client, db, offering, create_enrollment, clock
):
    create_enrollment(offering)
    assert participants(client, app) == 1
    create_enrollment(offering)  # a change the figures have not seen yet
    clock.move(30)

    forget_all(app)
    with count_statements() as statements:
        shown = client.get(URL).get_json()['participants']

    assert shown == 1
    assert counts_in(statements) == 0


def test_figures_older_than_the_setting_are_shown_once_more_and_counted_again(
    app, client, db, offering, create_enrollment, clock
):
    create_enrollment(offering)
    assert participants(client, app) == 1
    create_enrollment(offering)
    clock.move(61)

    assert participants(client, app) == 1  # shown as kept; the job counts meanwhile
    assert participants(client, app) == 2
    kept = db.session.execute(db.select(FigureSnapshot)).scalar_one()
    assert kept.counted_at == clock.now


def test_figures_last_counted_over_a_day_ago_are_counted_in_the_request(
    app, client, db, offering, create_enrollment, clock
):
    create_enrollment(offering)
    assert participants(client, app) == 1
    create_enrollment(offering)
    clock.move(snapshots.SHOWN_FOR.total_seconds() + 1)

    assert participants(client, app) == 2


def test_a_recount_asked_for_before_the_last_count_does_nothing(
    app, db, offering, create_enrollment, clock
):
    create_enrollment(offering)
    asked = clock.now
    clock.move(5)
    snapshots.recount(2024, 2025)  # another job, asked at the same time, counted first
    create_enrollment(offering)
    clock.move(5)

    with count_statements() as statements:
        snapshots.recount(2024, 2025, asked)

    assert counts_in(statements) == 0
    kept = db.session.execute(db.select(FigureSnapshot)).scalar_one()
    assert snapshots.loads(kept.figures_json).participants == 1


def test_an_older_count_never_replaces_a_newer_one(app, db, offering, create_enrollment, clock):
    create_enrollment(offering)
    earlier = clock.now
    old = snapshots.dumps(figures(2024, 2025))
    create_enrollment(offering)
    clock.move(5)
    snapshots.recount(2024, 2025)

    snapshots.keep(2024, 2025, old, earlier)  # a slower process finishing late

    kept = db.session.execute(db.select(FigureSnapshot)).scalar_one()
    assert (snapshots.loads(kept.figures_json).participants, kept.counted_at) == (2, clock.now)


def test_the_worker_keeps_the_range_every_visitor_sees_first(
    app, client, db, offering, create_enrollment, clock
):
    create_enrollment(offering)
    db.session.commit()

    tasks.recount_default_range.call_local()  # as the worker runs it, in a session of its own

    first, last = default_range()
    kept = db.session.execute(db.select(FigureSnapshot)).scalar_one()
    assert (kept.first_year, kept.last_year) == (first, last) == (2025, date.today().year)
    forget_all(app)
    with count_statements() as statements:
        body = client.get('/api/v1/stats').get_json()
    assert body['participants'] == 1
    assert counts_in(statements) == 0


def test_kept_figures_read_back_equal_to_what_was_counted(
    app, db, offering, create_enrollment, create_organization, create_user
):
    host = create_organization(kind='municipality', name_ka='ქუთაისი', region='imereti')
    offering.municipality = host
    create_enrollment(offering, create_user(sector='cso', gender='female', organization=host))
    counted = figures(2024, 2025)
    assert counted.municipalities_reached  # the list of municipalities goes through JSON too

    assert snapshots.loads(snapshots.dumps(counted)) == counted


def test_figures_kept_by_an_earlier_version_are_counted_afresh(
    app, client, db, offering, create_enrollment, clock
):
    create_enrollment(offering)
    assert participants(client, app) == 1
    kept = db.session.execute(db.select(FigureSnapshot)).scalar_one()
    kept.figures_json = '{"first": 2024, "last": 2025, "participants": 7}'
    create_enrollment(offering)

    assert participants(client, app) == 2
