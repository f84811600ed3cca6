"""Words for the codes stored in the database (kinds, statuses, roles...), in both languages."""

from flask_babel import lazy_gettext as _l

from certificates import REVOCATION_CATEGORIES, revocation_category_label
from lms.i18n import current_language
from lms.models.organizations import REGIONS


class _Named:
    """A name the reference data already holds in both languages (no catalogue entry needed)."""

    def __init__(self, ka, en):
        self.ka, self.en = ka, en

    def __str__(self):
        return self.en if current_language() == 'en' else self.ka


LABELS = {
    'role': {
        'admin': _l('Administrator'),
        'trainer': _l('Trainer'),
        'participant': _l('Participant'),
    },
    'sector': {
        'civil_servant': _l('Civil servant'),
        'cso': _l('Civil-society organisation'),
        'citizen': _l('Active citizen'),
        'other': _l('Other'),
    },
    'gender': {'female': _l('Female'), 'male': _l('Male'), 'other': _l('Other')},
    'course_kind': {
        'training': _l('Training'),
        'seminar': _l('Seminar'),
        'conference': _l('Conference'),
        'forum': _l('Forum'),
    },
    'organization_kind': {
        'municipality': _l('Municipality'),
        'cso': _l('Civil-society organisation'),
        'government': _l('Government body'),
        'academia': _l('Academia'),
        'other': _l('Other'),
    },
    'offering_format': {
        'in_person': _l('In person'),
        'online': _l('Online'),
        'hybrid': _l('Hybrid'),
    },
    'offering_status': {
        'draft': _l('Draft'),
        'published': _l('Published'),
        'completed': _l('Completed'),
        'cancelled': _l('Cancelled'),
    },
    'enrollment_status': {
        'applied': _l('Applied'),
        'waitlisted': _l('Waitlisted'),
        'accepted': _l('Accepted'),
        'rejected': _l('Rejected'),
        'withdrawn': _l('Withdrawn'),
    },
    'region': {code: _Named(ka, en) for code, (ka, en) in REGIONS.items()},
    'attendance_status': {
        'present': _l('Present'),
        'late': _l('Late'),
        'excused': _l('Excused'),
        'absent': _l('Absent'),
    },
    'certificate_status': {
        'valid': _l('Valid'),
        'revoked': _l('Revoked'),
        'superseded': _l('Superseded'),
        'expired': _l('Expired'),
    },
    'message_status': {
        'pending': _l('Waiting to be sent'),
        'sent': _l('Sent'),
        'failed': _l('Not delivered'),
    },
    'message_template': {
        'application_received': _l('Application received'),
        'application_accepted': _l('Application accepted'),
        'application_waitlisted': _l('Application waitlisted'),
        'application_rejected': _l('Application rejected'),
        'seat_offered': _l('Seat offered'),
        'certificate_issued': _l('Certificate issued'),
        'certificate_revoked': _l('Certificate revoked'),
        'certificate_reissued': _l('Certificate reissued'),
        'password_reset': _l('Password reset'),
        'invitation': _l('Invitation'),
        'confirm_address': _l('Address confirmation'),
    },
    # The words of the public verification page (certificates/verification.py).
    'revocation_category': {
        code: revocation_category_label(code) for code in REVOCATION_CATEGORIES
    },
    'certificate_type': {
        'completion': _l('Certificate of completion'),
        'participation': _l('Certificate of participation'),
    },
}


def label(value, group):
    """The word for `value` in `group`, in the current language; the value itself if unknown."""
    if value is None:
        return ''
    return LABELS.get(group, {}).get(value, value)


def choices(group, *, blank=None):
    """(value, word) pairs for a select field; `blank` adds an empty first choice."""
    pairs = list(LABELS[group].items())
    return ([('', blank)] if blank is not None else []) + pairs
