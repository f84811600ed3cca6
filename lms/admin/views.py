"""The academy staff's pages: courses, offerings, sessions, people, organisations, enrollments,
certificates.

The pages live in one module per area; this one holds the blueprint, its guard and every
URL, so the whole admin site can be read at a glance.
"""

from flask import Blueprint
from flask_login import current_user, login_required

from lms.admin import (
    applications,
    audit,
    certificates,
    consultations,
    courses,
    enrollments,
    history,
    invitations,
    mail,
    offerings,
    organizations,
    people,
    signatories,
)
from lms.permissions import can_administer, require

bp = Blueprint('admin', __name__, template_folder='templates')

#: Endpoints that take a body larger than MAX_CONTENT_LENGTH, and how they raise it.
LARGE_BODIES = {'admin.history_check': history.allow_large_upload}


@bp.url_value_preprocessor
def _large_bodies(endpoint, values):
    """Runs before every before_request function, the CSRF check (which reads the body)
    among them."""
    allow = LARGE_BODIES.get(endpoint)
    if allow is not None:
        allow()


@bp.before_request
@login_required
def guard():
    """Every page here is for admins: one guard for the blueprint, none to forget per route."""
    require(can_administer(current_user))


GET, FORM, POST = ['GET'], ['GET', 'POST'], ['POST']

ROUTES = [
    # (URL, endpoint, view, methods)
    ('/courses', 'courses', courses.index, GET),
    ('/courses/new', 'course_new', courses.new, FORM),
    ('/courses/<int:course_id>/edit', 'course_edit', courses.edit, FORM),
    ('/offerings', 'offerings', offerings.index, GET),
    ('/offerings/new', 'offering_new', offerings.new, FORM),
    ('/offerings/report.xlsx', 'offerings_report', offerings.report_of_year, GET),
    ('/offerings/<int:offering_id>', 'offering', offerings.detail, GET),
    ('/offerings/<int:offering_id>/edit', 'offering_edit', offerings.edit, FORM),
    ('/offerings/<int:offering_id>/sessions/new', 'session_new', offerings.session_new, FORM),
    ('/sessions/<int:session_id>/edit', 'session_edit', offerings.session_edit, FORM),
    ('/sessions/<int:session_id>/delete', 'session_delete', offerings.session_delete, FORM),
    (
        '/offerings/<int:offering_id>/assessments/new',
        'assessment_new',
        offerings.assessment_new,
        FORM,
    ),
    ('/offerings/<int:offering_id>/enroll', 'enroll', enrollments.new, FORM),
    ('/offerings/<int:offering_id>/applications', 'applications', applications.queue, GET),
    (
        '/offerings/<int:offering_id>/applications/decide',
        'applications_decide',
        applications.decide,
        POST,
    ),
    ('/enrollments', 'enrollments', enrollments.index, GET),
    ('/enrollments/<int:enrollment_id>/status', 'enrollment_status', enrollments.set_status, POST),
    ('/people', 'people', people.index, GET),
    ('/people/new', 'person_new', people.new, FORM),
    ('/people/invite', 'people_invite', invitations.invite, FORM),
    ('/people/<int:user_id>', 'person', people.detail, GET),
    ('/people/<int:user_id>/edit', 'person_edit', people.edit, FORM),
    ('/people/<int:user_id>/erase', 'person_erase', people.erase, FORM),
    ('/erasures', 'erasures', people.erasures, GET),
    ('/organizations', 'organizations', organizations.index, GET),
    ('/organizations/new', 'organization_new', organizations.new, FORM),
    (
        '/organizations/<int:organization_id>/edit',
        'organization_edit',
        organizations.edit,
        FORM,
    ),
    (
        '/organizations/<int:organization_id>/contacts',
        'organization_contact_add',
        organizations.contact_add,
        POST,
    ),
    (
        '/organizations/<int:organization_id>/contacts/<int:user_id>/remove',
        'organization_contact_remove',
        organizations.contact_remove,
        FORM,
    ),
    ('/consultations', 'consultations', consultations.index, GET),
    ('/consultations/new', 'consultation_new', consultations.new, FORM),
    ('/consultations/<int:consultation_id>/edit', 'consultation_edit', consultations.edit, FORM),
    (
        '/consultations/<int:consultation_id>/delete',
        'consultation_delete',
        consultations.delete,
        FORM,
    ),
    ('/signatories', 'signatories', signatories.index, GET),
    ('/signatories/new', 'signatory_new', signatories.new, FORM),
    ('/signatories/<int:signatory_id>/edit', 'signatory_edit', signatories.edit, FORM),
    ('/signatories/<int:signatory_id>/delete', 'signatory_delete', signatories.delete, POST),
    ('/certificates', 'certificates', certificates.index, GET),
    ('/certificates/<int:certificate_id>', 'certificate', certificates.detail, GET),
    (
        '/certificates/<int:certificate_id>/revoke',
        'certificate_revoke',
        certificates.revoke_page,
        FORM,
    ),
    (
        '/certificates/<int:certificate_id>/reissue',
        'certificate_reissue',
        certificates.reissue_page,
        FORM,
    ),
    ('/history', 'history', history.upload, GET),
    ('/history', 'history_check', history.upload, POST),
    ('/history/import', 'history_import', history.confirm, POST),
    ('/audit', 'audit', audit.index, GET),
    ('/mail', 'mail', mail.index, GET),
    ('/mail/<int:message_id>', 'mail_message', mail.detail, GET),
    ('/mail/<int:message_id>/resend', 'mail_resend', mail.resend, POST),
]

for rule, endpoint, view, methods in ROUTES:
    bp.add_url_rule(rule, endpoint, view, methods=methods)
