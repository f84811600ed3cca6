"""Issuing certificates twice at once (a double click, two trainers, the API and a job):
one issue, the other answered cleanly, and no certificate rendered and signed in vain."""

from functools import partial

import pytest
from sqlalchemy import func, select

import certificates.service as certificate_service
from certificates.models import Certificate
from lms.attendance.service import record_attendance
from lms.awarding.service import issue_for_offering
from lms.errors import Conflict
from lms.extensions import db as _db
from lms.models import Enrollment
from tests.races.conftest import ROUNDS, browser, together


@pytest.fixture
def renders(monkeypatch):
    """How many certificate PDFs were drawn (each then signed)."""
    drawn = []
    real = certificate_service.render

    def counting(*args, **kwargs):
        drawn.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(certificate_service, 'render', counting)
    return drawn


@pytest.fixture
def finished(db, create_user, create_offering, create_enrollment):
    """An offering that is over, with a trainer and `people` participants who attended all."""

    def make(people=2):
        trainer = create_user(role='trainer', password=None)
        offering = create_offering(trainers=[trainer])
        for _ in range(people):
            enrollment = create_enrollment(offering, create_user(password=None))
            for offering_session in offering.sessions:
                record_attendance(
                    offering_session,
                    [{'enrollment_id': enrollment.id, 'status': 'present'}],
                    actor=trainer,
                )
        db.session.commit()
        return offering, trainer

    return make


def _valid_certificates(offering_id):
    return _db.session.scalar(
        select(func.count())
        .select_from(Certificate)
        .join(Enrollment, Enrollment.id == Certificate.enrollment_id)
        .where(Enrollment.offering_id == offering_id, Certificate.status == 'valid')
    )


@pytest.mark.postgres
def test_two_api_calls_at_once_issue_once_and_draw_nothing_in_vain(
    app, db, finished, token_for, renders
):
    for _ in range(ROUNDS):
        offering, trainer = finished(people=2)
        # Two tokens: each request records its token's use, and one token would make the
        # second request wait for the first on that row.
        tokens = [token_for(trainer), token_for(trainer)]
        url = f'/api/v1/offerings/{offering.id}/certificates'
        renders.clear()
        calls = [partial(browser(app).post, url, json={}, headers=t) for t in tokens]
        answers = together(*calls)
        statuses = sorted(a.status_code for a in answers)
        assert statuses in ([200, 200], [200, 409]), [a.get_data(as_text=True) for a in answers]
        issued = [s for a in answers if a.status_code == 200 for s in a.get_json()['issued']]
        assert len(issued) == 2
        for answer in answers:
            if answer.status_code == 409:
                assert answer.get_json()['error']['code'] == 'issuing_under_way'
        assert len(renders) == 2  # one PDF per person: nothing drawn and thrown away
        db.session.expire_all()
        assert _valid_certificates(offering.id) == 2


@pytest.mark.postgres
def test_a_double_click_on_issue_for_one_person_issues_once(app, db, finished, renders):
    for _ in range(ROUNDS):
        offering, trainer = finished(people=1)
        [enrollment] = offering.enrollments
        url = f'/certificates/offerings/{offering.id}/issue'
        form = {
            'enrollment_id': enrollment.id,
            'next': f'/teach/offerings/{offering.id}/completion',
        }
        pages = [browser(app, trainer), browser(app, trainer)]
        renders.clear()
        answers = together(*[partial(page.post, url, data=form) for page in pages])
        assert [a.status_code for a in answers] == [302, 302]
        assert len(renders) == 1
        db.session.expire_all()
        assert _valid_certificates(offering.id) == 1


@pytest.mark.postgres
def test_a_job_chunk_waits_for_an_issue_at_work_and_then_issues_nothing(app, db, finished, renders):
    offering, trainer = finished(people=2)
    offering_id = offering.id

    def issue(wait):
        with app.app_context():
            try:
                target = _db.session.get(type(offering), offering_id)
                issued, _ = issue_for_offering(target, actor=None, wait=wait)
                _db.session.commit()
                return len(issued)
            except Conflict as refused:
                _db.session.rollback()
                return refused.code
            finally:
                _db.session.remove()

    results = together(lambda: issue(True), lambda: issue(True))
    assert sorted(results) == [0, 2]
    assert len(renders) == 2


def test_issuing_again_issues_nothing_and_draws_nothing(db, api, finished, renders):
    offering, trainer = finished(people=2)
    url = f'/api/v1/offerings/{offering.id}/certificates'
    first = api('POST', url, trainer, json={})
    second = api('POST', url, trainer, json={})
    assert len(first.get_json()['issued']) == 2
    assert second.status_code == 200 and second.get_json()['issued'] == []
    assert len(renders) == 2
