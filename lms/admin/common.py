"""What every admin page does the same way: paginate a list, save a form, answer with a form."""

from flask import current_app, render_template, request

from lms.errors import DomainError
from lms.extensions import db
from lms.forms import show_errors

#: Beyond any real list; keeps a typed-in page number from overflowing the database's OFFSET.
_MAX_PAGE = 100_000


def paginate(stmt):
    """One page of `stmt`, the page number taken from ?page= (out of range: an empty page)."""
    page = min(max(request.args.get('page', 1, type=int), 1), _MAX_PAGE)
    return db.paginate(stmt, page=page, per_page=current_app.config['PER_PAGE'], error_out=False)


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
    """A whole number from the query string, or None when absent or not a number."""
    return request.args.get(name, type=int)
