"""No two fields of a form share one label, in either language."""

import re
from collections import Counter
from html import unescape

import pytest

FORMS = [
    '/admin/courses/new',
    '/admin/offerings/new',
    '/admin/people/new',
    '/admin/organizations/new',
    '/admin/signatories/new',
    '/register',
]
_LABEL = re.compile(r'<label[^>]*>(.*?)</label>', re.S)
_TAG = re.compile(r'<[^>]+>')


def _labels(html):
    return [' '.join(unescape(_TAG.sub('', text)).split()) for text in _LABEL.findall(html)]


@pytest.mark.parametrize('language', ['ka', 'en'])
@pytest.mark.parametrize('url', FORMS)
def test_no_two_fields_of_a_form_share_a_label(client, login, create_user, url, language):
    if url.startswith('/admin'):
        login(create_user(role='admin'))
    client.get(f'/language/{language}')
    labels = _labels(client.get(url).text)
    assert len(labels) >= 3
    twice = [label for label, n in Counter(labels).items() if n > 1]
    assert not twice, f'{url} ({language}) labels two fields alike: {twice}'
