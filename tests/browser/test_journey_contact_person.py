"""Journey 10: a municipality's contact person follows their staff.

An admin, on a laptop, makes the demo participant (a specialist at Kutaisi's city hall)
a contact person of Kutaisi from the organisation's page. On their phone the participant
then finds "My organisation" on their home page, opens the staff of Kutaisi with each
one's applications, attendance and certificates, and finds a colleague by name; another
organisation's staff stay closed to them (403). Once the admin removes them, after a
confirmation, Kutaisi's staff are closed to them too.
"""

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from lms.extensions import db
from lms.models import Enrollment, Organization, User
from tests.browser.journeys import LAPTOP, PHONE, log_in

pytestmark = pytest.mark.browser


def staff_facts(academy):
    """The participant's municipality, a colleague there with applications, and another
    organisation with staff of its own."""
    with academy['app'].app_context():
        participant = db.session.scalar(
            select(User).where(User.email == academy['accounts']['participant'])
        )
        home = participant.organization
        colleague = db.session.scalar(
            select(User)
            .join(Enrollment, Enrollment.user_id == User.id)
            .where(User.organization_id == home.id, User.id != participant.id)
            .group_by(User.id)
            .order_by(func.count(Enrollment.id).desc(), User.id)
            .limit(1)
        )
        other = db.session.scalar(
            select(Organization.id)
            .join(User, User.organization_id == Organization.id)
            .where(Organization.id != home.id)
            .limit(1)
        )
        return {
            'home': home.id,
            'home_name': home.name_ka,
            'participant': participant.full_name_ka,
            'colleague': colleague.full_name_ka,
            'other': other,
        }


def test_a_municipality_contact_person_follows_their_staff(journey, academy):
    facts = staff_facts(academy)
    people = f'/organizations/{facts["home"]}/people'

    admin = journey.open(LAPTOP)
    log_in(admin, academy['accounts']['admin'])
    admin.goto(f'/admin/organizations/{facts["home"]}/edit')
    admin.fill('#contacts input[name="email"]', academy['accounts']['participant'])
    with admin.expect_navigation():
        admin.locator('#contacts button[type="submit"]').click()
    expect(admin.locator('.alert-success')).to_contain_text('საკონტაქტო პირად')
    expect(admin.locator('#contacts')).to_contain_text(facts['participant'])
    journey.look(admin, 'contact-added')

    page = journey.open(PHONE)
    log_in(page, academy['accounts']['participant'])
    mine = page.locator('#my-organizations ~ .list-group a')
    expect(mine).to_have_count(1)
    with page.expect_navigation():
        mine.tap()
    assert page.url.endswith(people)
    expect(page.locator('h1')).to_contain_text(facts['home_name'])
    colleague = page.locator('section[data-person]', has_text=facts['colleague'])
    expect(colleague).to_have_count(1)
    expect(colleague.locator('[data-enrollment]').first).to_be_visible()
    journey.look(page, 'staff-progress')

    page.fill('form[role="search"] input[name="q"]', facts['colleague'])
    with page.expect_navigation():
        page.locator('form[role="search"] button[type="submit"]').tap()
    expect(page.locator('section[data-person]')).to_have_count(1)
    expect(page.locator('section[data-person]')).to_contain_text(facts['colleague'])

    refused = page.goto(f'/organizations/{facts["other"]}/people')
    assert refused.status == 403

    admin.goto(f'/admin/organizations/{facts["home"]}/edit')
    with admin.expect_navigation():
        admin.locator('#contacts a.btn-outline-danger').click()
    journey.look(admin, 'remove-contact', both=False)
    with admin.expect_navigation():
        admin.locator('main form button[type="submit"]').click()
    expect(admin.locator('.alert-success')).to_contain_text('აღარ არის საკონტაქტო პირი')

    assert page.goto(people).status == 403
    page.goto('/')
    expect(page.locator('#my-organizations')).to_have_count(0)
