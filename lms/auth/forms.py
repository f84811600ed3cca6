from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Optional, ValidationError

from lms.forms import (
    ORGANIZATION_VALUE_LENGTH,
    Form,
    OrganizationField,
    max_length,
    min_length,
)
from lms.labels import choices
from lms.people.passwords import MIN_PASSWORD_LENGTH
from lms.people.service import REGISTRATION_FIELDS


def _length(name):
    return max_length(REGISTRATION_FIELDS[name].max_length)


class LoginForm(Form):
    email = EmailField(_l('E-mail'), validators=[DataRequired(), _length('email')])
    password = PasswordField(_l('Password'), validators=[DataRequired(), _length('password')])


class RegistrationForm(Form):
    full_name_ka = StringField(
        _l('Full name in Georgian'), validators=[DataRequired(), _length('full_name_ka')]
    )
    full_name_en = StringField(
        _l('Full name in Latin letters'),
        description=_l('Leave empty to spell it as in a Georgian passport.'),
        validators=[Optional(), _length('full_name_en')],
    )
    email = EmailField(_l('E-mail'), validators=[DataRequired(), Email(), _length('email')])
    sector = SelectField(_l('Sector'), choices=[], validators=[DataRequired()])
    organization_id = OrganizationField(
        _l('Organisation'),
        specials={'': _l('None / not listed')},
        validators=[max_length(ORGANIZATION_VALUE_LENGTH)],
    )
    position = StringField(_l('Position'), validators=[Optional(), _length('position')])
    gender = SelectField(
        _l('Gender (optional, for statistics)'), choices=[], validators=[Optional()]
    )
    password = PasswordField(
        _l('Password'),
        validators=[
            DataRequired(),
            # The service's own words, so the page says the same as the API, in our catalogue.
            min_length(MIN_PASSWORD_LENGTH),
            _length('password'),
        ],
    )
    confirm = PasswordField(
        _l('Repeat the password'),
        validators=[
            DataRequired(),
            EqualTo('password', _l('The passwords differ.')),
            _length('password'),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sector.choices = choices('sector')
        self.gender.choices = choices('gender', blank=_l('Prefer not to say'))


def _address(form, field):
    """The service's rule for addresses (it knows the reserved .test domain, which WTForms'
    Email() refuses); the value becomes the address as accounts store it."""
    try:
        field.data = REGISTRATION_FIELDS['email'].convert(field.data or '')
    except ValueError as error:
        raise ValidationError(str(error)) from None


class ResetRequestForm(Form):
    email = EmailField(_l('E-mail'), validators=[DataRequired(), _length('email'), _address])


def new_password_fields():
    """The new password, twice, with the limits registration has."""
    password = PasswordField(
        _l('New password'),
        description=_l('At least %(n)d characters.', n=MIN_PASSWORD_LENGTH),
        validators=[DataRequired(), min_length(MIN_PASSWORD_LENGTH), _length('password')],
    )
    confirm = PasswordField(
        _l('Repeat the new password'),
        validators=[
            DataRequired(),
            EqualTo('password', _l('The passwords differ.')),
            _length('password'),
        ],
    )
    return password, confirm


class SetPasswordForm(Form):
    """The page a reset or invitation link opens: every password field takes the new one."""

    password, confirm = new_password_fields()
