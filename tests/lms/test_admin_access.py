"""Who may open the admin pages: admins only; anonymous callers are sent to log in."""

import re

import pytest
from sqlalchemy import select

from certificates import Certificate, issue_certificate
from lms.extensions import db
from lms.models import Course, OutboxMessage, Signatory
from tests.certificates.samples import sample_claims


def admin_urls(offering):
    signatory = offering.course.signatories[0]
    enrollment = offering.enrollments[0]
    offering_session = offering.sessions[0]
    person = enrollment.user
    certificate = db.session.scalar(
        select(Certificate).where(Certificate.enrollment_id == enrollment.id)
    )
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.user_id == person.id))
    return [
        ('GET', '/admin/courses'),
        ('GET', '/admin/courses/new'),
        ('GET', f'/admin/courses/{offering.course.id}/edit'),
        ('GET', '/admin/offerings'),
        ('GET', '/admin/offerings/new'),
        ('GET', f'/admin/offerings/report.xlsx?year={offering.starts_on.year}'),
        ('GET', f'/admin/offerings/{offering.id}'),
        ('GET', f'/admin/offerings/{offering.id}/edit'),
        ('GET', f'/admin/offerings/{offering.id}/sessions/new'),
        ('GET', f'/admin/offerings/{offering.id}/assessments/new'),
        ('GET', f'/admin/offerings/{offering.id}/enroll'),
        ('GET', f'/admin/sessions/{offering_session.id}/edit'),
        ('GET', f'/admin/sessions/{offering_session.id}/delete'),
        ('GET', f'/admin/offerings/{offering.id}/applications'),
        ('POST', f'/admin/offerings/{offering.id}/applications/decide'),
        ('GET', '/admin/enrollments'),
        ('POST', f'/admin/enrollments/{enrollment.id}/status'),
        ('GET', '/admin/people'),
        ('GET', '/admin/people/new'),
        ('GET', '/admin/people/invite'),
        ('GET', f'/admin/people/{person.id}'),
        ('GET', f'/admin/people/{person.id}/edit'),
        ('GET', f'/admin/people/{person.id}/erase'),
        ('GET', '/admin/erasures'),
        ('GET', '/admin/organizations'),
        ('GET', '/admin/organizations/new'),
        ('GET', f'/admin/organizations/{person.organization_id}/edit'),
        ('GET', '/admin/signatories'),
        ('GET', '/admin/signatories/new'),
        ('GET', f'/admin/signatories/{signatory.id}/edit'),
        ('POST', f'/admin/signatories/{signatory.id}/delete'),
        ('GET', '/admin/certificates'),
        ('GET', f'/admin/certificates/{certificate.id}'),
        ('GET', f'/admin/certificates/{certificate.id}/revoke'),
        ('GET', f'/admin/certificates/{certificate.id}/reissue'),
        ('GET', '/admin/audit'),
        ('GET', '/admin/mail'),
        ('GET', f'/admin/mail/{message.id}'),
        ('POST', f'/admin/mail/{message.id}/resend'),
    ]


@pytest.fixture
def offering(create_offering, create_enrollment, create_user, create_organization):
    offering = create_offering()
    offering.course.signatories.append(Signatory(name_ka='ა', name_en='A'))
    enrollment = create_enrollment(
        offering, create_user(organization=create_organization()), 'applied'
    )
    issue_certificate(sample_claims(), enrollment_id=enrollment.id)
    db.session.add(
        OutboxMessage(
            template='invitation',
            to_address=enrollment.user.email,
            user=enrollment.user,
            locale='ka',
            subject='მოწვევა',
            text_body='ტექსტი',
            html_body='<p>ტექსტი</p>',
            status='failed',
        )
    )
    return offering


def test_every_admin_url_is_listed(app, offering):
    """The access tests below cover every route of the blueprint."""
    listed = {re.sub(r'/\d+', '/<id>', url.partition('?')[0]) for _, url in admin_urls(offering)}
    rules = {
        re.sub(r'<int:\w+>', '<id>', rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith('admin.')
    }
    assert rules == listed


@pytest.mark.parametrize('role', ['participant', 'trainer'])
def test_other_roles_get_403(client, login, create_user, offering, role):
    trainer = create_user(role='trainer')
    offering.trainers.append(trainer)  # even a trainer of the offering: these are admin pages
    login(trainer if role == 'trainer' else create_user(role=role))
    for method, url in admin_urls(offering):
        response = client.open(url, method=method, data={'status': 'accepted'})
        assert response.status_code == 403, f'{method} {url}'


def test_anonymous_callers_are_sent_to_log_in(client, db, offering):
    db.session.commit()
    for method, url in admin_urls(offering):
        response = client.open(url, method=method, data={'status': 'accepted'})
        assert response.status_code == 302, f'{method} {url}'
        assert response.headers['Location'].startswith('/login?next='), url
    assert offering.enrollments[0].status == 'applied'


def test_admins_open_every_page(client, login, create_user, offering):
    login(create_user(role='admin'))
    for method, url in admin_urls(offering):
        response = client.open(url, method=method, data={'status': 'waitlisted'})
        assert response.status_code == (302 if method == 'POST' else 200), f'{method} {url}'


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_a_post_without_the_csrf_token_is_refused(client, login, create_user, db):
    """TestConfig turns CSRF off for convenience; with it on, a forged form gets nowhere."""
    login(create_user(role='admin'))
    course = {
        'code': 'CSRF-1',
        'title_ka': 'კურსი',
        'title_en': 'Course',
        'kind': 'training',
        'hours': '8',
        'min_attendance_pct': '80',
    }
    refused = client.post('/admin/courses/new', data=course)
    assert refused.status_code == 400
    assert db.session.scalar(select(Course).where(Course.code == 'CSRF-1')) is None

    page = client.get('/admin/courses/new').text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    accepted = client.post('/admin/courses/new', data={**course, 'csrf_token': token})
    assert accepted.status_code == 302
    assert db.session.scalar(select(Course).where(Course.code == 'CSRF-1')) is not None


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_a_decision_button_without_the_csrf_token_is_refused(
    client, login, create_user, create_enrollment
):
    enrollment = create_enrollment(status='applied')
    login(create_user(role='admin'))
    response = client.post(
        f'/admin/enrollments/{enrollment.id}/status', data={'status': 'accepted'}
    )
    assert response.status_code == 400
    assert enrollment.status == 'applied'
