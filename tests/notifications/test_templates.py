"""Every e-mail, rendered in both languages, compared with its snapshot.

The snapshots (tests/notifications/snapshots/<message>.<language>.txt and .html) are what
people receive: read them when they change. After a deliberate change of a template,
`UPDATE_SNAPSHOTS=1 make test` writes them anew.
"""

import os
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from lms.notifications.service import render

SNAPSHOTS = Path(__file__).parent / 'snapshots'
TEMPLATES = Path(__file__).resolve().parents[2] / 'lms' / 'templates' / 'mail'


def _person():
    names = {'ka': 'ნინო ბერიძე', 'en': 'Nino Beridze'}
    return SimpleNamespace(
        name=lambda locale: names.get(locale, names['ka']),
        full_name_ka=names['ka'],
        full_name_en=names['en'],
        email='nino@example.ge',
    )


def _certificate(serial, **fields):
    return SimpleNamespace(formatted_serial=serial, **fields)


def _course():
    return SimpleNamespace(
        code='PB-101',
        title_ka='მონაწილეობითი ბიუჯეტირება მუნიციპალიტეტებში',
        title_en='Participatory Budgeting in Municipalities',
        kind='training',
        title=lambda locale: (
            'Participatory Budgeting in Municipalities'
            if locale == 'en'
            else 'მონაწილეობითი ბიუჯეტირება მუნიციპალიტეტებში'
        ),
    )


def _offering():
    return SimpleNamespace(
        id=7,
        course=_course(),
        starts_on=date(2027, 3, 1),
        ends_on=date(2027, 3, 3),
        location='ქუთაისი, ქალაქის საკრებულო',
        location_en='Kutaisi, City Council',
        place=lambda lang: (
            'Kutaisi, City Council' if lang == 'en' else 'ქუთაისი, ქალაქის საკრებულო'
        ),
    )


def _enrollment():
    return SimpleNamespace(
        offering=_offering(), offered_until=datetime(2027, 2, 22, 14, 0, tzinfo=UTC)
    )


#: For each message, the context its sender gives it (sample values, fixed).
SAMPLES = {
    **{
        name: lambda: {'enrollment': _enrollment()}
        for name in (
            'application_received',
            'application_accepted',
            'application_waitlisted',
            'application_rejected',
            'seat_offered',
        )
    },
    'password_reset': lambda: {
        'link': 'https://academy.example.test/reset-password/TOKEN',
        'valid_for': timedelta(hours=1),
    },
    'confirm_address': lambda: {
        'link': 'https://academy.example.test/confirm-address/TOKEN',
        'valid_for': timedelta(days=7),
    },
    'registration_link': lambda: {
        'link': 'https://academy.example.test/register/TOKEN',
        'valid_for': timedelta(hours=48),
        'offering': _offering(),  # a newcomer applying: the event is named
    },
    'registration_attempt': lambda: {
        'login_link': 'https://academy.example.test/login',
        'reset_link': 'https://academy.example.test/reset-password',
        'offering': None,
    },
    'invitation': lambda: {
        'link': 'https://academy.example.test/reset-password/TOKEN',
        'valid_for': timedelta(days=14),
        'offering': _offering(),
    },
    'certificate_issued': lambda: {
        'certificate': _certificate('K7QM-3XWD-9P2F'),
        'course_title': 'მონაწილეობითი ბიუჯეტირება მუნიციპალიტეტებში',
        'verify_link': 'https://academy.example.test/v/K7QM-3XWD-9P2F',
        'pdf_link': 'https://academy.example.test/certificates/K7QM-3XWD-9P2F.pdf',
    },
    'certificate_revoked': lambda: {
        'certificate': _certificate(
            'K7QM-3XWD-9P2F',
            revocation_category='issued_in_error',
            revocation_reason='The clerk chose the wrong offering.',
        ),
        'course_title': 'მონაწილეობითი ბიუჯეტირება მუნიციპალიტეტებში',
        'verify_link': 'https://academy.example.test/v/K7QM-3XWD-9P2F',
    },
    'certificate_reissued': lambda: {
        'certificate': _certificate('M2RX-9TQA-4K1B'),
        'new': _certificate('M2RX-9TQA-4K1B'),
        'old': _certificate('K7QM-3XWD-9P2F'),
        'course_title': 'მონაწილეობითი ბიუჯეტირება მუნიციპალიტეტებში',
        'verify_link': 'https://academy.example.test/v/M2RX-9TQA-4K1B',
        'new_link': 'https://academy.example.test/v/M2RX-9TQA-4K1B',
        'old_link': 'https://academy.example.test/v/K7QM-3XWD-9P2F',
        'pdf_link': 'https://academy.example.test/certificates/M2RX-9TQA-4K1B.pdf',
    },
}

_MOMENT = datetime(2027, 2, 20, 9, 30, tzinfo=UTC)


def _messages():
    return sorted(p.stem for p in TEMPLATES.glob('*.txt') if not p.name.startswith('_'))


def test_every_message_has_both_templates_and_a_sample():
    for name in _messages():
        assert (TEMPLATES / f'{name}.html').exists(), f'mail/{name}.html is missing'
        assert name in SAMPLES, f'tests/notifications/test_templates.py has no sample of {name}'


@pytest.mark.parametrize('locale', ['ka', 'en'])
@pytest.mark.parametrize('name', _messages())
def test_each_message_in_each_language_is_as_its_snapshot(app, name, locale):
    context = {'user': _person(), 'moment': _MOMENT, **SAMPLES[name]()}
    with app.test_request_context():
        subject, text, html = render(name, locale, **context)
    rendered = {'txt': f'Subject: {subject}\n\n{text}', 'html': html}
    for suffix, content in rendered.items():
        path = SNAPSHOTS / f'{name}.{locale}.{suffix}'
        if os.environ.get('UPDATE_SNAPSHOTS') or not path.exists():
            path.write_text(content, encoding='utf-8')
        assert content == path.read_text(encoding='utf-8'), f'{path.name} changed'
    assert subject and '\n' not in subject
    if locale == 'ka':
        # Georgian mail carries no English words of ours (names and links aside).
        words = re.sub(r'https?://\S+', '', text)
        for english in ('Hello', 'Dear', 'You receive', 'certificate', 'Download'):
            assert english not in words, f'"{english}" in the Georgian {name}'
