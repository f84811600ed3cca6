"""Public verification for machines: a serial's status, and whether a PDF is the issued file.

No token needed (API.md: who = *). Rate-limited per address together with the pages.

A 200 answer carries an ETag of its body and `Cache-Control: no-cache`: a client may keep
it, but asks again each time and gets 304 while nothing changed. Every request is still a
verification and is counted, 304s included: the counter says how often the certificate was
checked, not how many bytes were sent (counts reach the database within
VERIFY_COUNT_INTERVAL seconds; see certificates/verification.py).
"""

import hashlib
from functools import lru_cache

from flask import Response, current_app, jsonify, request
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from certificates import (
    is_pdf,
    revocation_category_label,
    typo_hints,
    verify_issued_pdf,
    verify_limit,
)
from certificates import verify as verify_certificate
from lms.api.auth import public
from lms.api.base import bp
from lms.api.errors import error_response
from lms.api.serializers import json_number
from lms.extensions import academy_today


def verification_json(result):
    """API.md's answer for a certificate found: the facts only when its record is authentic.

    A record whose stored credential does not verify answers `status: "invalid"` with
    `signature_valid` false and every fact null, and none of the optional fields: they
    would come from the same untrustworthy row. A client reading only `status` is never
    told "valid".
    """
    if result.archived:
        return _archived_json(result.archive)
    claims = result.claims
    answer = {
        'serial': result.serial,
        'status': result.record_status,
        'signature_valid': result.signature_valid,
        'holder': None,
        'course': None,
        'hours': None,
        'issued_on': None,
        'issuer': None,
    }
    if claims is None:  # not authentic
        return answer
    answer.update(
        holder={'name_ka': claims.holder_name_ka, 'name_en': claims.holder_name_en},
        course={
            'title_ka': claims.course_title_ka,
            'title_en': claims.course_title_en,
            'kind': claims.course_kind,
        },
        hours=json_number(claims.hours),
        issued_on=claims.issued_on.isoformat(),
        issuer={
            'name_ka': claims.issuer_name_ka,
            'name_en': claims.issuer_name_en,
            'url': claims.issuer_url,
        },
    )
    if result.valid_until:
        answer['valid_until'] = result.valid_until.isoformat()
    if result.revoked_on:
        answer['revoked_on'] = result.revoked_on.isoformat()
        # The public reason: its code, and its words in English (one answer for every
        # reader, kept per answer); the admins' detail is never part of a verification.
        answer['revocation_category'] = result.revocation_category
        with force_locale('en'):
            answer['revocation_reason'] = str(revocation_category_label(result.revocation_category))
    if result.superseded_by:
        answer['superseded_by'] = result.superseded_by
    return answer


def _archived_json(facts):
    """A paper certificate recorded from the academy's archive: `status: "archived"`,
    `signature_valid` false (nothing about it is signed), and the facts the archive
    records. `issuer` is null: no signed statement of the issuer stands behind it."""
    return {
        'serial': facts.number,
        'status': 'archived',
        'signature_valid': False,
        'holder': {'name_ka': facts.holder_name_ka, 'name_en': facts.holder_name_en},
        'course': {
            'title_ka': facts.course_title_ka,
            'title_en': facts.course_title_en,
            'kind': facts.course_kind,
        },
        'hours': None if facts.hours is None else json_number(facts.hours),
        'issued_on': facts.issued_on.isoformat(),
        'issuer': None,
        'recorded_from_archive': True,
    }


@bp.get('/verify/<serial>')
@public
@verify_limit
def verify(serial):
    result = verify_certificate(serial, today=academy_today())
    if result.status == 'typo':
        hints = ' '.join(str(hint) for hint in typo_hints(result.typo))
        return error_response(
            404,
            _l('This looks like a typo: %(hints)s', hints=hints),
            fields={'serial': _l('This is not a valid serial number.')},
            status='not_found',
        )
    if result.status == 'not_found':
        return error_response(404, _l('No certificate has this serial.'), status='not_found')
    # Archive answers are made afresh for each request: not kept in the cache of answers.
    body, etag = _answer.__wrapped__(result) if result.archived else _answer(result)
    headers = {'ETag': f'"{etag}"', 'Cache-Control': 'no-cache'}
    if request.if_none_match.contains_weak(etag):
        return Response(status=304, headers=headers)
    return Response(body, mimetype='application/json', headers=headers)


@lru_cache(maxsize=512)
def _answer(result):
    """The JSON bytes and their ETag, once per answer (a Verification is shared by every
    request that gets it while the certificate's row and the day stay the same)."""
    body = current_app.json.dumps(verification_json(result)).encode('utf-8')
    return body, hashlib.sha256(body).hexdigest()[:32]


@bp.post('/verify/pdf')
@public
@verify_limit
def verify_pdf():
    upload = request.files.get('file')
    data = upload.read() if upload else b''
    if not data:
        return error_response(
            422,
            _l('Send the PDF as the multipart form field "file".'),
            fields={'file': _l('A PDF file is required.')},
        )
    if not is_pdf(data):
        return error_response(
            422,
            _l('The file sent as "file" is not a PDF.'),
            fields={'file': _l('This is not a PDF file.')},
        )
    checked = verify_issued_pdf(data, today=academy_today())
    answer = {'authentic': checked.authentic}
    if checked.verification is not None:
        answer.update(serial=checked.serial, status=checked.status)
    return jsonify(answer)
