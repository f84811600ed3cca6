"""The holder's certificate list: LinkedIn's add-to-profile link and the verification counter."""

import html
import re
from datetime import date
from urllib.parse import parse_qs, urlsplit

from certificates import issue_certificate, revoke_certificate
from lms.awarding.sharing import linkedin_add_url
from tests.certificates.samples import sample_claims


def test_the_linkedin_link_carries_the_certificates_fields_url_encoded():
    url = linkedin_add_url(
        name='Participatory Budgeting & Civic Tech',
        organization_name='მონაწილეობის აკადემია',
        issued_on=date(2025, 3, 12),
        valid_until=date(2027, 1, 31),
        cert_url='https://academy.example.ge/verify/K7QM-3XWD-9P2F',
        cert_id='K7QM-3XWD-9P2F',
    )
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ('https', 'www.linkedin.com', '/profile/add')
    assert ' ' not in url and '&Civic' not in url and 'მ' not in url  # all encoded
    assert parse_qs(parts.query) == {
        'startTask': ['CERTIFICATION_NAME'],
        'name': ['Participatory Budgeting & Civic Tech'],
        'organizationName': ['მონაწილეობის აკადემია'],
        'issueYear': ['2025'],
        'issueMonth': ['3'],
        'expirationYear': ['2027'],
        'expirationMonth': ['1'],
        'certUrl': ['https://academy.example.ge/verify/K7QM-3XWD-9P2F'],
        'certId': ['K7QM-3XWD-9P2F'],
    }


def test_a_certificate_that_does_not_expire_has_no_expiration():
    url = linkedin_add_url(
        name='Forum',
        organization_name='Academy',
        issued_on=date(2024, 12, 1),
        cert_url='https://a.example/verify/X',
        cert_id='X',
    )
    query = parse_qs(urlsplit(url).query)
    assert 'expirationYear' not in query and 'expirationMonth' not in query
    assert query['issueMonth'] == ['12']


def test_the_holder_sees_the_link_and_how_often_the_certificate_was_verified(
    client, login, db, create_enrollment
):
    enrollment = create_enrollment()
    certificate = issue_certificate(sample_claims(), enrollment_id=enrollment.id)
    certificate.verification_count = 7
    withdrawn = issue_certificate(
        sample_claims(), enrollment_id=create_enrollment(user=enrollment.user).id
    )
    revoke_certificate(withdrawn, reason='Issued in error.')
    login(enrollment.user)

    client.post('/language/en')
    page = client.get('/certificates/mine').text

    links = [html.unescape(h) for h in _hrefs(page) if h.startswith('https://www.linkedin.com/')]
    assert len(links) == 1  # only for the valid certificate
    query = parse_qs(urlsplit(links[0]).query)
    assert query['certId'] == [certificate.formatted_serial]
    assert query['certUrl'] == [
        f'https://academy.example.test/verify/{certificate.formatted_serial}'
    ]
    assert query['name'] == ['Participatory Budgeting in Municipalities']
    assert query['organizationName'] == ['Civic Participation Academy']
    assert (query['issueYear'], query['issueMonth']) == (['2025'], ['3'])
    assert (query['expirationYear'], query['expirationMonth']) == (['2027'], ['3'])
    assert 'Verified 7 times' in page
    assert 'Verified 0 times' in page


def _hrefs(page):
    return re.findall(r'href="([^"]+)"', page)
