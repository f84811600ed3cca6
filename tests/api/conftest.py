"""Fixtures for the API tests: a caller that sends a user's token, and the usual cast."""

import pytest


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
