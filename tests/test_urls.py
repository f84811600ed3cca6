"""Numbers in page addresses beyond what the database holds name nothing: 404, never 500."""

import pytest

from lms.validation import MAX_INT


@pytest.mark.parametrize('number', [MAX_INT + 1, 10**30])
@pytest.mark.parametrize(
    'path',
    [
        '/admin/people/{}',
        '/admin/offerings/{}',
        '/catalogue/{}',
        '/admin/mail/{}',
        '/organizations/{}',
        '/organizations/{}/people',
        '/admin/consultations/{}/edit',
    ],
)
def test_ids_too_large_for_the_database_are_not_found(client, login, create_user, path, number):
    login(create_user(role='admin'))
    assert client.get(path.format(number)).status_code == 404
