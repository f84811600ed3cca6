"""Who may do what. Pages, the API, templates and the CLI all ask here; nothing else decides."""

from flask import abort
from flask_babel import lazy_gettext as _l

from lms.errors import Forbidden
from lms.extensions import academy_today


def _is(user, role):
    return bool(user) and getattr(user, 'is_authenticated', False) and user.role == role


def is_admin(user):
    return _is(user, 'admin')


def can_administer(user):
    """Courses, offerings, people, organisations, enrollments: the academy's staff only."""
    return is_admin(user)


def teaches(user, offering):
    return _is(user, 'trainer') and any(t.id == user.id for t in offering.trainers)


def can_manage_offering(user, offering):
    """Sessions, attendance, assessments and certificates of one offering."""
    return is_admin(user) or teaches(user, offering)


def can_report_on_offering(user, offering):
    """An offering's report (names, attendance, scores, certificates of its participants):
    whoever manages the offering, that is its trainers and the admins."""
    return can_manage_offering(user, offering)


def can_see_enrollment(user, enrollment):
    return can_manage_offering(user, enrollment.offering) or (
        getattr(user, 'is_authenticated', False) and enrollment.user_id == user.id
    )


def can_enroll(user, offering, person_id=None, status=None):
    """Admins enroll anyone, with any status. A participant applies for themselves only
    (`person_id` None or their own), as an application (`status` None or applied), and only
    while the offering takes applications: the same rule as the catalogue's Apply button."""
    if is_admin(user):
        return True
    return (
        can_apply(user, offering) and person_id in (None, user.id) and status in (None, 'applied')
    )


def require_enrollment(user, offering, person_id=None, status=None):
    """Stop the request unless `user` may enroll `person_id` with `status` (can_enroll).

    A participant asking for a status is told it is the academy's to decide, beside the
    field; anything else refused is a plain 403.
    """
    if not is_admin(user) and status not in (None, 'applied'):
        raise Forbidden(
            _l('Only the academy decides the status of an enrollment.'),
            fields={'status': _l('Leave it out: an application starts as applied.')},
        )
    require(can_enroll(user, offering, person_id, status))


def is_participant(user):
    return _is(user, 'participant')


def can_view_offering(user, offering):
    """Everyone sees an offering once it leaves draft; a draft only its admins and trainers."""
    return offering.status != 'draft' or can_manage_offering(user, offering)


def applications_state(offering, today=None):
    """Whether `offering` takes applications on `today`, and if not, why.

    'open' while it is published, not over, and within its application window when one is
    set; otherwise 'not_published', 'over', 'not_yet_open' or 'closed'.
    """
    today = today or academy_today()
    if offering.status != 'published':
        return 'not_published'
    if offering.ends_on < today:
        return 'over'
    if offering.applications_open_on is not None and today < offering.applications_open_on:
        return 'not_yet_open'
    if offering.applications_close_on is not None and today > offering.applications_close_on:
        return 'closed'
    return 'open'


def can_apply(user, offering, today=None):
    """A participant applies for themselves, while the offering takes applications."""
    return is_participant(user) and applications_state(offering, today) == 'open'


def can_answer_for(user, enrollment):
    """Withdraw an application, confirm or decline a seat offered: the applicant alone."""
    return bool(user) and getattr(user, 'is_authenticated', False) and enrollment.user_id == user.id


def can_set_enrollment_status(user, enrollment):
    return is_admin(user)


def can_manage_token(user, token):
    """An API token is its owner's alone to see and revoke."""
    return bool(user) and getattr(user, 'is_authenticated', False) and token.user_id == user.id


def can_see_job(user, job):
    """A background job's page: the person who started it, and admins."""
    return is_admin(user) or (
        getattr(user, 'is_authenticated', False) and job.created_by_id == user.id
    )


def can_download_export(user, job, offering=None):
    """The file a job wrote (a ZIP of certificates): whoever may see the job, and the
    trainers of the offering it is about."""
    return can_see_job(user, job) or (offering is not None and teaches(user, offering))


def require(allowed):
    """Stop the request with 403 unless `allowed`; call it right after loading the object."""
    if not allowed:
        abort(403)


#: Exposed to templates as globals, so no template re-implements a rule.
TEMPLATE_GLOBALS = {
    'applications_state': applications_state,
    'can_administer': can_administer,
    'can_apply': can_apply,
    'can_manage_offering': can_manage_offering,
    'can_report_on_offering': can_report_on_offering,
    'can_see_enrollment': can_see_enrollment,
    'can_view_offering': can_view_offering,
    'is_participant': is_participant,
    'teaches': teaches,
}
