"""Offerings: the list, an offering's page, its form, and its sessions and assessments."""

from datetime import timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.admin.common import query_int
from lms.admin.forms import OfferingForm, SessionForm
from lms.assessment.service import add_assessment
from lms.attendance.queries import attendance_count
from lms.catalogue.queries import offering_years
from lms.catalogue.service import (
    add_session,
    create_offering,
    delete_session,
    search_courses,
    search_offerings,
    update_offering,
    update_session,
)
from lms.enrollments.queries import enrollments_by_status
from lms.extensions import db
from lms.forms import AssessmentForm, EmptyForm, form_data, render_form, saved
from lms.models import Course, Offering, OfferingSession
from lms.organizations.service import municipalities
from lms.pagination import paginate
from lms.people.queries import trainers
from lms.permissions import can_manage_offering, require
from lms.reports.exports import year_xlsx
from lms.reports.queries import year_report
from lms.search import search_text
from lms.spreadsheets import XLSX, attachment
from lms.statistics.figures import MAX_YEAR, MIN_YEAR


def index():
    q, year, course_id = (
        search_text(request.args.get('q')),
        query_int('year'),
        query_int('course_id'),
    )
    return render_template(
        'admin/offerings.html',
        page=paginate(
            search_offerings(q, course_id=course_id, year=year), request.args.get('page')
        ),
        q=q,
        year=year,
        years=offering_years(),
        course=db.session.get(Course, course_id) if course_id else None,
    )


def report_of_year():
    """The XLSX of every offering that starts in the year asked for (`year`)."""
    year = query_int('year')
    if year is None or not MIN_YEAR <= year <= MAX_YEAR:
        flash(_('Choose the year of the report.'), 'danger')
        return redirect(url_for('.offerings'))
    return attachment(year_xlsx(year_report(year), year), XLSX, f'offerings-{year}.xlsx')


def detail(offering_id):
    offering = db.get_or_404(Offering, offering_id)
    return render_template(
        'admin/offering.html',
        offering=offering,
        groups=enrollments_by_status(offering),
        session_form=SessionForm(formdata=None, day=_next_session_day(offering)),
        assessment_form=AssessmentForm(formdata=None),
    )


def _next_session_day(offering):
    """The day after the last session, within the offering's dates: sessions are added in order."""
    if not offering.sessions:
        return offering.starts_on
    last_day = SessionForm.initial(offering.sessions[-1])['day']
    return min(last_day + timedelta(days=1), offering.ends_on)


def _offering_form(offering=None):
    current = offering.trainers if offering else ()
    return OfferingForm(
        obj=offering,
        courses=db.session.scalars(search_courses()).all(),
        municipalities=municipalities(),
        trainers=trainers(current),
        trainer_ids=[t.id for t in current],
        course_id=query_int('course_id'),
    )


def new():
    form = _offering_form()
    offering = saved(form, lambda: create_offering(form_data(form), actor=current_user))
    if offering:
        flash(_('The offering is created.'), 'success')
        return redirect(url_for('.offering', offering_id=offering.id))
    return render_form('admin/offering_form.html', form, offering=None)


def edit(offering_id):
    offering = db.get_or_404(Offering, offering_id)
    form = _offering_form(offering)
    if saved(form, lambda: update_offering(offering, form_data(form), actor=current_user)):
        flash(_('The offering is saved.'), 'success')
        return redirect(url_for('.offering', offering_id=offering.id))
    return render_form('admin/offering_form.html', form, offering=offering)


def session_new(offering_id):
    offering = db.get_or_404(Offering, offering_id)
    require(can_manage_offering(current_user, offering))
    form = SessionForm(day=_next_session_day(offering))
    if saved(form, lambda: add_session(offering, form.values(), actor=current_user)):
        flash(_('The session is added.'), 'success')
        return redirect(url_for('.offering', offering_id=offering.id, _anchor='sessions'))
    return render_form('admin/session_form.html', form, offering=offering, offering_session=None)


def session_edit(session_id):
    offering_session = db.get_or_404(OfferingSession, session_id)
    offering = offering_session.offering
    require(can_manage_offering(current_user, offering))
    form = SessionForm(data=SessionForm.initial(offering_session))
    if saved(form, lambda: update_session(offering_session, form.values(), actor=current_user)):
        flash(_('The session is saved.'), 'success')
        return redirect(url_for('.offering', offering_id=offering.id, _anchor='sessions'))
    return render_form(
        'admin/session_form.html', form, offering=offering, offering_session=offering_session
    )


def session_delete(session_id):
    """GET asks for confirmation (no JavaScript needed); POST deletes."""
    offering_session = db.get_or_404(OfferingSession, session_id)
    offering = offering_session.offering
    require(can_manage_offering(current_user, offering))
    form = EmptyForm()
    if form.validate_on_submit():
        delete_session(offering_session, actor=current_user)
        flash(_('The session is deleted.'), 'success')
        return redirect(url_for('.offering', offering_id=offering.id, _anchor='sessions'))
    return render_template(
        'admin/session_delete.html',
        form=form,
        offering=offering,
        offering_session=offering_session,
        attendance_count=attendance_count(offering_session),
    )


def assessment_new(offering_id):
    offering = db.get_or_404(Offering, offering_id)
    require(can_manage_offering(current_user, offering))
    form = AssessmentForm()
    if saved(form, lambda: add_assessment(offering, form_data(form), actor=current_user)):
        flash(_('The assessment is added.'), 'success')
        return redirect(url_for('.offering', offering_id=offering.id, _anchor='assessments'))
    return render_form('admin/assessment_form.html', form, offering=offering)
