"""Courses: the list, and the form for a course and its completion rule."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.admin.forms import CourseForm
from lms.catalogue.service import create_course, search_courses, update_course
from lms.extensions import db
from lms.forms import form_data, render_form, saved
from lms.labels import choices
from lms.models import Course
from lms.pagination import paginate
from lms.search import search_text


def index():
    q, kind = search_text(request.args.get('q')), request.args.get('kind', '')
    return render_template(
        'admin/courses.html',
        page=paginate(search_courses(q, kind), request.args.get('page')),
        q=q,
        kind=kind,
        kinds=choices('course_kind'),
    )


def new():
    form = CourseForm()
    course = saved(form, lambda: create_course(form_data(form), actor=current_user))
    if course:
        flash(_('The course %(code)s is created.', code=course.code), 'success')
        return redirect(url_for('.courses'))
    return render_form('admin/course_form.html', form, course=None)


def edit(course_id):
    course = db.get_or_404(Course, course_id)
    form = CourseForm(obj=course)
    if saved(form, lambda: update_course(course, form_data(form), actor=current_user)):
        flash(_('The course %(code)s is saved.', code=course.code), 'success')
        return redirect(url_for('.courses'))
    return render_form('admin/course_form.html', form, course=course)
