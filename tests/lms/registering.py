"""Registering as a person does it: the form, then the link in the e-mail written to the
outbox, opened with the test client, and its "Finish registration" button. `mails` and
`links` read any e-mail of the outbox (the account tests follow their links too)."""

import re
from urllib.parse import urlsplit

from sqlalchemy import select

from lms.models import OutboxMessage

BASE = 'https://academy.example.test'  # TestConfig.PUBLIC_BASE_URL


def mails(db, template, to=None):
    """The outbox messages of `template` (to `to`, when given), oldest first."""
    db.session.expire_all()
    stmt = select(OutboxMessage).where(OutboxMessage.template == template)
    if to:
        stmt = stmt.where(OutboxMessage.to_address == to)
    return db.session.scalars(stmt.order_by(OutboxMessage.id)).all()


def links(text):
    """Every address under PUBLIC_BASE_URL in a text."""
    return re.findall(re.escape(BASE) + r'[^\s"<>]*', text)


def registration_link(db, email):
    """The path of the link in the newest registration e-mail to `email`."""
    message = mails(db, 'registration_link', email)[-1]
    (link,) = {*links(message.text_body)} - {BASE + '/'}
    return urlsplit(link).path


def finish_registration(client, db, email):
    """Open the link mailed to `email`, then press "Finish registration"; the response."""
    path = registration_link(db, email)
    page = client.get(path)
    assert page.status_code == 200, page.text
    return client.post(path, data={'csrf_token': _csrf(page.text)})


def _csrf(html):
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    return found.group(1) if found else ''
