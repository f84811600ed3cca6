"""Fixtures for the API tests: a caller that sends a user's token, and the usual cast."""

import pytest


@pytest.fixture
def api(client, db, token_for):
    """Call the API as `user` (None: without a token): api('POST', url, user, json=...).

    The test's setup is committed first: an error answer rolls back the session, and the
    test must then still find its own rows. After the call the session forgets what it
    had loaded, so the test reads what the database holds.
    """
    tokens = {}

    def call(method, url, user=None, **kwargs):
        headers = dict(kwargs.pop('headers', {}))
        if user is not None:
            if user.id not in tokens:
                tokens[user.id] = token_for(user)
            headers.update(tokens[user.id])
        db.session.commit()
        response = client.open(url, method=method, headers=headers, **kwargs)
        db.session.expire_all()
        return response

    return call


@pytest.fixture
def create_user(create_user):
    """As the suite's factory, but without a password unless given: hashing one is slow,
    and the API never asks for it."""

    def _create_user(role='participant', password=None, **kwargs):
        return create_user(role, password=password, **kwargs)

    return _create_user


@pytest.fixture
def admin(create_user):
    return create_user(role='admin', full_name_ka='ადმინისტრატორი', full_name_en='Admin')


@pytest.fixture
def trainer(create_user):
    return create_user(role='trainer')


@pytest.fixture
def participant(create_user):
    return create_user(role='participant')


@pytest.fixture
def offering(create_offering, trainer):
    """An offering taught by `trainer`."""
    return create_offering(trainers=[trainer])
