from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from lms.auth.forms import new_password_fields
from lms.forms import Form, length, max_length
from lms.labels import choices
from lms.people.passwords import MAX_PASSWORD_LENGTH
from lms.people.service import PROFILE_FIELDS


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class TokenForm(Form):
    name = StringField(
        _l('Name'),
        description=_l('What the token is for, e.g. "the municipality\'s HR system".'),
        filters=[_strip],
        # Our own words: WTForms has no Georgian for its defaults.
        validators=[
            DataRequired(message=_l('This field is required.')),
            Length(max=100, message=_l('At most %(n)d characters.', n=100)),
        ],
    )


class ChangePasswordForm(Form):
    current_password = PasswordField(
        _l('Current password'),
        validators=[
            DataRequired(message=_l('This field is required.')),
            max_length(MAX_PASSWORD_LENGTH),
        ],
    )
    password, confirm = new_password_fields()


class ProfileForm(Form):
    """What a person may correct about themselves (PROFILE_FIELDS)."""

    full_name_ka = StringField(
        _l('Full name in Georgian'),
        validators=[
            DataRequired(message=_l('This field is required.')),
            length(PROFILE_FIELDS, 'full_name_ka'),
        ],
    )
    full_name_en = StringField(
        _l('Full name in Latin letters'),
        description=_l('Leave empty to spell it as in a Georgian passport.'),
        validators=[Optional(), length(PROFILE_FIELDS, 'full_name_en')],
    )
    sector = SelectField(_l('Sector'), choices=[], validators=[DataRequired()])
    position = StringField(
        _l('Position'), validators=[Optional(), length(PROFILE_FIELDS, 'position')]
    )
    gender = SelectField(_l('Gender'), choices=[], validators=[Optional()])
    phone = StringField(_l('Phone'), validators=[Optional(), length(PROFILE_FIELDS, 'phone')])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sector.choices = choices('sector')
        self.gender.choices = choices('gender', blank=_l('Not stated'))


class ErasureForm(Form):
    """Asking for erasure takes the password, so that nobody at an open screen can."""

    password = PasswordField(
        _l('Your password'),
        validators=[
            DataRequired(message=_l('This field is required.')),
            max_length(MAX_PASSWORD_LENGTH),
        ],
    )
