"""Fixtures of the lms tests beyond the shared ones."""

import shutil
from types import SimpleNamespace

import pytest

from lms.attendance.service import record_attendance
from lms.awarding.service import issue_for_offering
from lms.extensions import db as _db
from lms.models import Consultation, OutboxMessage, User
from tests.conftest import make_enrollment, make_offering, make_organization, make_user
from tests.databases import app_on_fresh_database, restore_snapshot, take_snapshot


@pytest.fixture
def filled(app, db, filled_once):
    """Two of everything the list pages show, certificates included; returns an admin.

    The rows and the key that signed the certificates are copied from `filled_once`."""
    restore_snapshot(filled_once.snapshot)
    shutil.copytree(filled_once.keys, app.config['CERTIFICATE_KEY_DIR'])
    return db.session.get(User, filled_once.admin_id)


@pytest.fixture(scope='module')
def filled_once(tmp_path_factory):
    """`filled`'s rows, made once for the module: issuing certificates takes a while."""
    keys = tmp_path_factory.mktemp('filled') / 'keys'
    with app_on_fresh_database(CERTIFICATE_KEY_DIR=str(keys)):
        admin = make_user(role='admin')
        for _ in range(2):
            offering = make_offering()
            enrollment = make_enrollment(
                offering=offering, user=make_user(organization=make_organization())
            )
            for offering_session in offering.sessions:
                record_attendance(
                    offering_session,
                    [{'enrollment_id': enrollment.id, 'status': 'present'}],
                    actor=admin,
                )
            issue_for_offering(offering, actor=admin)
            _db.session.add(
                Consultation(
                    organization=enrollment.user.organization,
                    expert_name='ექსპერტი',
                    consulted_on=offering.starts_on,
                    topic='სამოქალაქო ბიუჯეტი',
                    hours=3,
                )
            )
            _db.session.add(
                OutboxMessage(
                    template='certificate_revoked',
                    to_address=enrollment.user.email,
                    user=enrollment.user,
                    locale='ka',
                    subject='სერტიფიკატი',
                    text_body='ტექსტი',
                    html_body='<p>ტექსტი</p>',
                )
            )
        _db.session.commit()
        return SimpleNamespace(snapshot=take_snapshot(), keys=keys, admin_id=admin.id)
