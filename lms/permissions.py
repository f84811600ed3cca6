"""Who may do what. Pages, the API, templates and the CLI all ask here; nothing else decides."""

from flask import abort


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


def can_see_enrollment(user, enrollment):
    return can_manage_offering(user, enrollment.offering) or (
        getattr(user, 'is_authenticated', False) and enrollment.user_id == user.id
    )


def can_enroll(user, offering, person):
    """Admins enroll anyone; a participant applies for themselves."""
    if is_admin(user):
        return True
    return _is(user, 'participant') and person.id == user.id


def can_set_enrollment_status(user, enrollment):
    return is_admin(user)


def require(allowed):
    """Stop the request with 403 unless `allowed`; call it right after loading the object."""
    if not allowed:
        abort(403)


#: Exposed to templates as globals, so no template re-implements a rule.
TEMPLATE_GLOBALS = {
    'can_administer': can_administer,
    'can_manage_offering': can_manage_offering,
    'can_see_enrollment': can_see_enrollment,
    'teaches': teaches,
}
