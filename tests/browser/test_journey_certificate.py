"""Journey 4: a participant takes their certificate away: the PDF, the credential, LinkedIn.

On a phone the demo participant logs in, opens "My certificates", downloads the PDF (the
very bytes the academy issued: their SHA-256 is the certificate's) and the Open Badges
credential (a JWS signed by a key the academy publishes at /.well-known/jwks.json), and
checks the "Add to LinkedIn profile" link: LinkedIn's form gets the certificate's name,
the academy, the month of issue, the verification address and the serial.
"""

import base64
import hashlib
import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from playwright.sync_api import expect

from tests.browser.journeys import PHONE, language_of, log_in, switch_language

pytestmark = pytest.mark.browser


def header_of(token):
    part = token.split('.')[0]
    return json.loads(base64.urlsafe_b64decode(part + '=' * (-len(part) % 4)))


def download(page, link):
    with page.expect_download() as started:
        link.tap()
    return started.value


def test_a_participant_downloads_their_certificate_and_adds_it_to_linkedin(journey, academy):
    page = journey.open(PHONE)
    log_in(page, academy['accounts']['participant'])
    with page.expect_navigation():
        page.locator('.navbar-toggler').tap()
        page.locator('#mainnav a[href="/certificates/mine"]').tap()
    journey.look(page, 'my-certificates', keyboard=True)

    item = page.locator('.list-group-item', has=page.locator('a[href*="linkedin.com"]')).first
    serial = item.locator('.font-monospace').inner_text().strip()
    held = academy['held'][serial]

    pdf = download(page, item.locator(f'a[href="/certificates/{serial}.pdf"]'))
    assert pdf.suggested_filename == f'{serial}.pdf'
    data = Path(pdf.path()).read_bytes()
    assert data.startswith(b'%PDF')
    assert hashlib.sha256(data).hexdigest() == held['pdf_sha256']

    credential = download(page, item.locator(f'a[href="/certificates/{serial}/credential.jwt"]'))
    token = Path(credential.path()).read_text(encoding='ascii').strip()
    kid = header_of(token)['kid']
    keys = page.request.get('/.well-known/jwks.json').json()['keys']
    [key] = [k for k in keys if k['kid'] == kid]
    claims = jwt.decode(
        token,
        jwt.PyJWK(key).key,
        algorithms=['RS256'],
        options={
            'verify_aud': False,
            'verify_exp': False,
        },
    )
    assert claims['sub'] == f'{academy["base"]}/verify/{serial}#holder'

    for language in ('ka', 'en'):  # LinkedIn gets the names in the reader's language
        if language_of(page) != language:
            switch_language(page, language)
        item = page.locator('.list-group-item', has_text=serial)
        link = item.locator('a[href*="linkedin.com"]')
        expect(link).to_have_attribute('target', '_blank')
        address = urlsplit(link.get_attribute('href'))
        assert (address.netloc, address.path) == ('www.linkedin.com', '/profile/add')
        query = {name: values[0] for name, values in parse_qs(address.query).items()}
        assert query['startTask'] == 'CERTIFICATION_NAME'
        assert query['name'] == item.locator('strong').inner_text().strip()
        assert query['organizationName'] == academy['academy_name'][language]
        issued = held['issued_on']
        assert (query['issueYear'], query['issueMonth']) == (str(issued.year), str(issued.month))
        assert query['certId'] == serial
        assert query['certUrl'] == f'{academy["base"]}/verify/{serial}'
    switch_language(page, 'ka')

    # The address LinkedIn shows leads anyone to the certificate's verification page.
    visitor = journey.open(PHONE)
    visitor.goto(query['certUrl'])
    expect(visitor.locator('#verdict')).to_have_text('მოქმედი')
    expect(visitor.locator('.verification')).to_contain_text(serial)
    journey.look(visitor, 'linkedin-cert-url')
