"""Assertions shared by the API tests."""

from sqlalchemy import func, select

from lms.extensions import db
from lms.models import AuditEntry


def assert_error(response, status, code, fields=()):
    """The answer is `status` with the error envelope, naming exactly `fields`."""
    assert response.status_code == status, response.get_data(as_text=True)
    return _check_envelope(response, code, fields)


def assert_envelope(response):
    """The answer is an error of some status, in the envelope; returns the error object."""
    assert response.status_code >= 400, response.get_data(as_text=True)
    error = (response.get_json(silent=True) or {}).get('error', {})
    return _check_envelope(response, error.get('code'), error.get('fields', {}))


def _check_envelope(response, code, fields):
    assert response.is_json, response.content_type
    body = response.get_json()
    assert 'error' in body, body
    error = body['error']
    assert {'code', 'message', 'fields'} <= set(error), error
    assert set(error) <= {'code', 'message', 'fields', 'rows'}, error
    assert error['code'] == code
    assert isinstance(error['message'], str) and error['message'].strip()
    assert isinstance(error['fields'], dict)
    assert set(error['fields']) == set(fields), error['fields']
    assert all(isinstance(m, str) and m.strip() for m in error['fields'].values())
    return error


def count(model, *where):
    """How many rows of `model` the database holds (matching `where`)."""
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def audited():
    """The actions in the audit log, oldest first, leaving out the tests' own API tokens."""
    return list(
        db.session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.action.not_like('token.%'))
            .order_by(AuditEntry.id)
        )
    )
