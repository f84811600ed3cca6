"""What every admin page does the same way: save a form, answer with a form, read the query."""

from flask import render_template, request

from lms.errors import DomainError
from lms.extensions import db
from lms.forms import show_errors
from lms.validation import MAX_INT


def saved(form, write):
    """Run `write()` once `form` is submitted and valid, and commit what it did.

    Returns what `write()` returned, or None when the form was not submitted, was not
    valid, or the service refused the values: then the transaction is rolled back and the
    service's messages sit next to the fields they name, so nothing is half-saved.
    """
    if not form.validate_on_submit():
        return None
    try:
        result = write()
    except DomainError as exc:
        db.session.rollback()
        show_errors(form, exc)
        return None
    db.session.commit()
    return result


def render_form(template, form, **context):
    """The page with `form`: 422 when it carries errors, so clients and tests can tell."""
    status = 422 if request.method == 'POST' and form.errors else 200
    return render_template(template, form=form, **context), status


def query_int(name):
    """A positive whole number from the query string (an id, a year), or None when it is
    absent, not a number, or larger than the database's integer columns hold (a filter on
    such a number would fail in the database instead of finding nothing)."""
    number = request.args.get(name, type=int)
    return number if number is not None and 0 < number <= MAX_INT else None
