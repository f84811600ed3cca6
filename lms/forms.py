"""Form helpers shared by every feature."""

from flask import flash
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.validators import Length


class EmptyForm(FlaskForm):
    """A POST-only button (delete, accept, log out): carries the CSRF token and nothing else."""


def max_length(n):
    """Length(max=n) saying so in the reader's language, in the words the services use
    (WTForms' own messages have no Georgian)."""
    return Length(max=n, message=_l('At most %(n)d characters.', n=n))


def min_length(n):
    """Length(min=n), likewise in our own words."""
    return Length(min=n, message=_l('At least %(n)d characters.', n=n))


def form_data(form, exclude=('csrf_token', 'submit')):
    """The form's values as the plain dict a service takes."""
    return {name: field.data for name, field in form._fields.items() if name not in exclude}


def show_errors(form, exc):
    """Put a service's Invalid/Conflict messages next to the fields they name; flash the rest."""
    unplaced = []
    for name, message in exc.fields.items():
        field = form._fields.get(name)
        if field is None:
            unplaced.append(message)
        else:
            field.errors = [*field.errors, message] if isinstance(field.errors, list) else [message]
    flash(exc.message, 'danger')
    for message in unplaced:
        flash(message, 'danger')
