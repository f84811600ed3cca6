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
    courses,
    enrollments,
    invitations,
    mail,
    offerings,
    organizations,
    people,
    signatories,
)
from lms.permissions import can_administer, require

bp = Blueprint('admin', __name__, template_folder='templates')


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
    ('/audit', 'audit', audit.index, GET),
    ('/mail', 'mail', mail.index, GET),
    ('/mail/<int:message_id>', 'mail_message', mail.detail, GET),
    ('/mail/<int:message_id>/resend', 'mail_resend', mail.resend, POST),
]

for rule, endpoint, view, methods in ROUTES:
    bp.add_url_rule(rule, endpoint, view, methods=methods)
