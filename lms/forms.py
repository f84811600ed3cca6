"""What every form shares: the base class, number fields that read only what people mean,
limits taken from the services' field specs, and the helpers views use.

Every form of the application derives from `Form`, whose messages (WTForms' own ones
included) come from the application's catalogue: WTForms ships no Georgian, and a
Georgian page must not say "This field is required.".
"""

from flask import flash, render_template, request
from flask_babel import get_translations, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DecimalField, IntegerField, StringField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    StopValidation,
    ValidationError,
)

from lms.assessment.service import ASSESSMENT_FIELDS
from lms.organizations.service import find_organizations, organization_with_id
from lms.search import search_text
from lms.transactions import attempt
from lms.validation import NOT_A_NUMBER, NOT_A_WHOLE_NUMBER, read_decimal, read_integer


class _Catalogue:
    """WTForms asks its messages of this: the app's translations in the reader's language."""

    def gettext(self, string):
        return get_translations().gettext(string)

    def ngettext(self, singular, plural, n):
        return get_translations().ngettext(singular, plural, n)


_CATALOGUE = _Catalogue()


class Form(FlaskForm):
    """The base of every form: CSRF from Flask-WTF, messages from our catalogue."""

    class Meta:
        def get_translations(self, form):
            return _CATALOGUE


class EmptyForm(Form):
    """A POST-only button (delete, accept, log out): carries the CSRF token and nothing else."""


# -- numbers ------------------------------------------------------------------------------


class NumberField(DecimalField):
    """A decimal field that takes only plain digits, with a point or a comma."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault('places', None)
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        self.data = read_decimal(valuelist[0])
        if self.data is None:
            raise ValueError(str(NOT_A_NUMBER))


class WholeNumberField(IntegerField):
    """A whole-number field that takes only plain digits."""

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        self.data = read_integer(valuelist[0])
        if self.data is None:
            raise ValueError(str(NOT_A_WHOLE_NUMBER))


# -- limits from the services' field specs -------------------------------------------------


def max_length(n):
    """Length(max=n) saying so in the words the services use."""
    return Length(max=n, message=_l('At most %(n)d characters.', n=n))


def min_length(n):
    """Length(min=n), likewise in our own words."""
    return Length(min=n, message=_l('At least %(n)d characters.', n=n))


def length(spec, name):
    """The length limit of a field spec (lms.validation.Field): the same limit and words
    as the service's, so a form and the API refuse the same values alike."""
    return max_length(spec[name].max_length)


def number_range(spec, name):
    return NumberRange(min=spec[name].min, max=spec[name].max)


def readable(form, field):
    """Stop at a value that could not be read as a number or date: one message is enough."""
    if field.process_errors:
        raise StopValidation()


class AssessmentForm(Form):
    """An assessment of an offering, added by an admin or the offering's trainer."""

    title = StringField(
        _l('Title'), validators=[DataRequired(), length(ASSESSMENT_FIELDS, 'title')]
    )
    max_score = NumberField(
        _l('Maximum score'),
        validators=[InputRequired(), readable, number_range(ASSESSMENT_FIELDS, 'max_score')],
    )
    pass_score = NumberField(
        _l('Pass score'),
        validators=[InputRequired(), readable, number_range(ASSESSMENT_FIELDS, 'pass_score')],
    )
    required = BooleanField(_l('Required for a certificate'), default=True)


# -- helpers for views ----------------------------------------------------------------------


# -- organisations ---------------------------------------------------------------------------


class OrganizationField(StringField):
    """An organisation picked by its id, found by typing part of its name (the picker:
    _macros/organization_picker.html, static/js/picker.js, and without JavaScript its
    "Find" button), or one of `specials` ({value: words}; '' is always one: none).

    Its data is the submitted text; `chosen` is the organisation it names. An id no
    organisation has is "Not a valid choice", as a <select> would say.
    """

    def __init__(self, label=None, validators=None, specials=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.specials = specials or {'': _l('None')}

    def process_data(self, value):
        self.data = '' if value is None else str(value)

    def process_formdata(self, valuelist):
        self.data = (valuelist[0] or '').strip() if valuelist else ''

    @property
    def chosen(self):
        if self.data in self.specials:
            return None
        if not hasattr(self, '_chosen') or self._chosen_for != self.data:
            self._chosen, self._chosen_for = organization_with_id(self.data), self.data
        return self._chosen

    def pre_validate(self, form):
        if self.data not in self.specials and self.chosen is None:
            raise ValidationError(self.gettext('Not a valid choice.'))


#: An organisation field's own limit: an id, or a special word; anything longer is no
#: choice the page offered.
ORGANIZATION_VALUE_LENGTH = 12

#: The picker's search box and its "Find" button (the names the template gives them).
FIND_QUERY, FIND_BUTTON = 'organization_q', 'find_organization'


def organization_search():
    """When the form was sent with the picker's "Find" button (no JavaScript): what was
    typed and the organisations it finds; None otherwise. The view then shows the form
    again with them to choose from, saving nothing."""
    if request.method != 'POST' or FIND_BUTTON not in request.form:
        return None
    query = search_text(request.form.get(FIND_QUERY))
    return {'query': query, 'found': find_organizations(query)}


def form_data(form, exclude=('csrf_token', 'submit')):
    """The form's values as the plain dict a service takes."""
    return {name: field.data for name, field in form._fields.items() if name not in exclude}


def saved(form, write):
    """Run `write()` once `form` is submitted and valid; what it returned, or None.

    None when the form was not submitted or not valid, or when the service refused the
    values: then what it flushed is rolled back and its messages sit next to the fields
    they name. The request's transaction (lms.transactions) commits what succeeded.
    """
    if not form.validate_on_submit():
        return None
    result, error = attempt(write)
    if error is not None:
        show_errors(form, error)
        return None
    return result


def render_form(template, form, **context):
    """The page with `form`: 422 when it carries errors, so clients and tests can tell (and
    the request's transaction is rolled back)."""
    status = 422 if request.method == 'POST' and form.errors else 200
    return render_template(template, form=form, **context), status


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


def _wtforms_messages():  # pragma: no cover - never called
    """WTForms' own messages, named here so that the catalogue keeps their translations."""
    _('This field is required.')
    _('Invalid email address.')
    _('Not a valid choice.')
    _('Invalid Choice: could not coerce.')
    _('Invalid choice(s): one or more data inputs could not be coerced.')
    _('Not a valid date value.')
    _('Not a valid time value.')
    _('Not a valid datetime value.')
    _('Not a valid integer value.')
    _('Not a valid decimal value.')
    _('Field must be equal to %(other_name)s.')
    _('Field must be between %(min)d and %(max)d characters long.')
    _('Number must be at least %(min)s.')
    _('Number must be at most %(max)s.')
    _('Number must be between %(min)s and %(max)s.')
    _('Invalid value, must be one of: %(values)s.')
    _('Invalid input.')
    _('Invalid CSRF Token.')
    _('CSRF token missing.')
    _('CSRF failed.')
    _('CSRF token expired.')
    ngettext(
        'Field must be at least %(min)d character long.',
        'Field must be at least %(min)d characters long.',
        1,
    )
    ngettext(
        'Field cannot be longer than %(max)d character.',
        'Field cannot be longer than %(max)d characters.',
        1,
    )
    ngettext(
        "'%(value)s' is not a valid choice for this field.",
        "'%(value)s' are not valid choices for this field.",
        1,
    )
