from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from lms.forms import Form
from lms.labels import choices
from lms.people.service import MIN_PASSWORD_LENGTH


class LoginForm(Form):
    email = EmailField(_l('E-mail'), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l('Password'), validators=[DataRequired(), Length(max=200)])


class RegistrationForm(Form):
    full_name_ka = StringField(
        _l('Full name in Georgian'), validators=[DataRequired(), Length(max=200)]
    )
    full_name_en = StringField(
        _l('Full name in Latin letters'),
        description=_l('Leave empty to spell it as in a Georgian passport.'),
        validators=[Optional(), Length(max=200)],
    )
    email = EmailField(_l('E-mail'), validators=[DataRequired(), Email(), Length(max=254)])
    sector = SelectField(_l('Sector'), choices=[], validators=[DataRequired()])
    organization_id = SelectField(
        _l('Organisation'),
        choices=[],
        validators=[Optional()],
        coerce=lambda v: int(v) if v else None,
    )
    position = StringField(_l('Position'), validators=[Optional(), Length(max=200)])
    gender = SelectField(
        _l('Gender (optional, for statistics)'), choices=[], validators=[Optional()]
    )
    password = PasswordField(
        _l('Password'),
        validators=[
            DataRequired(),
            # The service's own words, so the page says the same as the API, in our catalogue.
            Length(
                min=MIN_PASSWORD_LENGTH,
                message=_l('At least %(n)d characters.', n=MIN_PASSWORD_LENGTH),
            ),
            Length(max=200),
        ],
    )
    confirm = PasswordField(
        _l('Repeat the password'),
        validators=[DataRequired(), EqualTo('password', _l('The passwords differ.'))],
    )

    def __init__(self, *args, organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.sector.choices = choices('sector')
        self.gender.choices = choices('gender', blank=_l('Prefer not to say'))
        self.organization_id.choices = [('', _l('None / not listed'))] + [
            (o.id, o.name_ka) for o in organizations
        ]
