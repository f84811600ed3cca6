"""Self check-in by QR: a signed code that changes every PERIOD seconds, and a typed fallback.

The trainer's screen shows a QR code for `/check-in/<session>/<token>`; the token signs
the session and the time window, so a photo of it is useless a minute later and cannot
serve another session. Phones whose camera fails type the six-digit code instead.
"""

import hashlib
import hmac
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer

from lms import audit
from lms.attendance.service import lock_roster
from lms.errors import Invalid
from lms.extensions import db, utcnow
from lms.labels import label
from lms.models import ATTENDED_STATUSES, Attendance, Enrollment

PERIOD = 20  # seconds each QR code is shown
TOKEN_WINDOWS = 2  # a scanned code is good for this window and the one before: 20-40 s
CODE_WINDOWS = 3  # typing takes longer: 40-60 s
#: How long before its start and after its end a session accepts check-ins.
OPEN_BEFORE, OPEN_AFTER = timedelta(minutes=60), timedelta(minutes=30)
#: How long a code scanned before logging in stays good while the person logs in.
LOGIN_GRACE = timedelta(minutes=10)


def window_at(now):
    return int(now.timestamp()) // PERIOD


def seconds_left(now):
    return PERIOD - int(now.timestamp()) % PERIOD


def _serializer(secret):
    return URLSafeSerializer(secret, salt='lms.check-in')


def make_token(secret, session_id, window):
    return _serializer(secret).dumps([session_id, window])


def typed_code(secret, session_id, window):
    """Six digits derived from the session and window: short enough to type."""
    digest = hmac.new(secret.encode(), f'{session_id}:{window}'.encode(), hashlib.sha256)
    return f'{int(digest.hexdigest()[:12], 16) % 1_000_000:06d}'


def read_token(secret, token, session_id, now, *, grace=0):
    """Check a scanned token for `session_id`; raises Invalid saying plainly what is wrong.

    `grace` more windows are allowed for the tap on the confirm button after the scan.
    """
    try:
        signed_session, window = _serializer(secret).loads(token)
    except (BadSignature, ValueError, TypeError):
        raise Invalid(_l('This check-in code is not valid. Scan the screen again.')) from None
    if signed_session != session_id:
        raise Invalid(_l('This check-in code belongs to another session.'))
    if not 0 <= window_at(now) - window < TOKEN_WINDOWS + grace:
        raise Invalid(_l('This check-in code has expired. Scan the screen again.'))


def pending_scan(session_id, token, now):
    """What to remember of a valid code scanned before logging in (for is_pending)."""
    return {'session_id': session_id, 'token': token, 'at': int(now.timestamp())}


def is_pending(pending, session_id, token, now):
    """Whether `pending` (from pending_scan, kept in the person's signed session) is this
    very code, scanned less than LOGIN_GRACE ago: it then counts as scanned now."""
    if not isinstance(pending, dict):
        return False
    if (pending.get('session_id'), pending.get('token')) != (session_id, token):
        return False
    scanned = pending.get('at')
    return isinstance(scanned, int) and 0 <= now.timestamp() - scanned <= LOGIN_GRACE.seconds


def check_typed_code(secret, session_id, code, now):
    code = ''.join(ch for ch in (code or '') if ch.isdigit())
    current = window_at(now)
    valid = {typed_code(secret, session_id, current - i) for i in range(CODE_WINDOWS)}
    if code not in valid:
        raise Invalid(
            _l('This code is wrong or has expired. Type the code now on the screen.'),
            fields={'code': _l('Wrong or expired code.')},
        )


def is_open(offering_session, now):
    return offering_session.starts_at - OPEN_BEFORE <= now <= offering_session.ends_at + OPEN_AFTER


def enrollment_checking_in(offering_session, participant, now):
    """The enrollment of `participant` that may check in to the session at `now`. Raises
    Invalid when the session is not open for check-in or they are not an accepted
    participant of its offering. Reads only."""
    if not is_open(offering_session, now):
        raise Invalid(_l('Check-in for this session is closed.'))
    enrollment = db.session.scalar(
        db.select(Enrollment).where(
            Enrollment.offering_id == offering_session.offering_id,
            Enrollment.user_id == participant.id,
        )
    )
    if enrollment is None or enrollment.status != 'accepted':
        raise Invalid(
            _l(
                'You are not an accepted participant of this course, so you cannot '
                'check in. Please speak to the trainer.'
            )
        )
    return enrollment


def check_in(offering_session, participant, *, now=None):
    """Mark `participant` present in the session; returns False if already present or late.

    A check-in fills only an empty place on the roster: it never changes a mark someone
    has recorded (a trainer's `absent` or `excused` stands, whether it came before the
    check-in or at the same moment: the roster is locked first, as every save of it is).
    Raises Invalid when they may not check in (enrollment_checking_in), or the trainer has
    marked them otherwise. Flushes, never commits; audited as a check-in.
    """
    now = now or utcnow()
    enrollment = enrollment_checking_in(offering_session, participant, now)
    lock_roster(offering_session)
    existing = db.session.scalar(
        db.select(Attendance)
        .where(
            Attendance.session_id == offering_session.id, Attendance.enrollment_id == enrollment.id
        )
        .execution_options(populate_existing=True)  # as it is now, after the lock
    )
    if existing is not None and existing.status in ATTENDED_STATUSES:
        return False
    if existing is not None:
        raise Invalid(
            _l(
                'The trainer has already recorded you as “%(status)s” for this session. '
                'Please speak to the trainer.',
                status=label(existing.status, 'attendance_status'),
            )
        )
    # A plain INSERT, never an upsert: even where the lock does nothing (SQLite, which
    # has one writer at a time anyway), a trainer's mark that landed first makes the
    # unique constraint refuse the check-in (a conflict, rolled back), never overwritten.
    after = {'status': 'present', 'note': ''}
    # Stamped after the lock, later than any save that held it first: a roster read
    # between that save and this check-in names a version older than the check-in, so a
    # save from it cannot overwrite the check-in unseen.
    stamp = max(now, utcnow())
    db.session.add(
        Attendance(
            session_id=offering_session.id,
            enrollment_id=enrollment.id,
            recorded_by_id=participant.id,
            recorded_at=stamp,
            **after,
        )
    )
    db.session.flush()
    audit.record_many(
        participant,
        'attendance.checked_in',
        'enrollments',
        [(enrollment.id, None, after, {'session_id': offering_session.id})],
        at=stamp,
    )
    return True
