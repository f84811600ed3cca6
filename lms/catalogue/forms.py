"""The application form: what the academy needs to decide and to report, the consent to
the personal-data notice, and, for a newcomer, the account made on the way."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Optional

from lms.enrollments.service import APPLICATION_FIELDS
from lms.forms import (
    ORGANIZATION_VALUE_LENGTH,
    Form,
    OrganizationField,
    max_length,
    min_length,
)
from lms.i18n import localized
from lms.labels import choices
from lms.people.passwords import MIN_PASSWORD_LENGTH
from lms.people.service import REGISTRATION_FIELDS

#: The organisation picker's choice for "my organisation is not listed".
NOT_LISTED = 'other'


def _length(spec, name):
    return max_length(spec[name].max_length)


class ApplyForm(Form):
    # A newcomer's account (removed from the form for someone logged in).
    full_name_ka = StringField(
        _l('Full name in Georgian'),
        validators=[DataRequired(), _length(REGISTRATION_FIELDS, 'full_name_ka')],
    )
    full_name_en = StringField(
        _l('Full name in Latin letters'),
        description=_l('Leave empty to spell it as in a Georgian passport.'),
        validators=[Optional(), _length(REGISTRATION_FIELDS, 'full_name_en')],
    )
    email = EmailField(
        _l('E-mail'), validators=[DataRequired(), Email(), _length(REGISTRATION_FIELDS, 'email')]
    )
    password = PasswordField(
        _l('Password'),
        description=_l(
            'At least %(n)d characters. With it you follow your application.',
            n=MIN_PASSWORD_LENGTH,
        ),
        validators=[
            DataRequired(),
            min_length(MIN_PASSWORD_LENGTH),
            _length(REGISTRATION_FIELDS, 'password'),
        ],
    )
    # What the academy needs to decide and to report.
    sector = SelectField(_l('Sector'), choices=[], validators=[DataRequired()])
    organization_id = OrganizationField(
        _l('Organisation'),
        description=_l(
            'Municipalities, civil-society organisations and other bodies: type part of '
            'the name and choose from what is found.'
        ),
        specials={
            '': _l('None (I apply as a citizen)'),
            NOT_LISTED: _l('My organisation is not listed'),
        },
        validators=[max_length(ORGANIZATION_VALUE_LENGTH)],
    )
    organization_other = StringField(
        _l('Name of your organisation, if it is not listed'),
        validators=[Optional(), _length(APPLICATION_FIELDS, 'organization_other')],
    )
    position = StringField(
        _l('Position'), validators=[Optional(), _length(APPLICATION_FIELDS, 'position')]
    )
    residence_municipality_id = SelectField(
        _l('Municipality where you live'), choices=[], validators=[DataRequired()]
    )
    motivation = TextAreaField(
        _l('Why do you want to take part? (optional)'),
        validators=[Optional(), _length(APPLICATION_FIELDS, 'motivation')],
    )
    consent = BooleanField(
        _l('I have read the notice above and agree to the processing of my personal data.'),
        validators=[DataRequired(_l('Please agree to the processing of your data to apply.'))],
    )

    def __init__(self, *args, newcomer=False, municipalities=(), **kwargs):
        super().__init__(*args, **kwargs)
        if not newcomer:
            for name in ('full_name_ka', 'full_name_en', 'email', 'password'):
                delattr(self, name)
        self.sector.choices = choices('sector', blank=_l('Choose…'))
        self.residence_municipality_id.choices = [('', _l('Choose…'))] + [
            (str(m.id), localized(m, 'name')) for m in municipalities
        ]

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        unnamed = not (self.organization_other.data or '').strip()
        if self.organization_id.data == NOT_LISTED and unnamed:
            self.organization_other.errors = [_l('Type the name of your organisation.')]
            return False
        return valid

    def application_data(self):
        """The answers as the service takes them (lms.enrollments.service.apply)."""
        chosen = self.organization_id.data or ''
        return {
            'sector': self.sector.data,
            'organization_id': chosen if chosen not in ('', NOT_LISTED) else None,
            'organization_other': self.organization_other.data if chosen == NOT_LISTED else None,
            'position': self.position.data,
            'residence_municipality_id': self.residence_municipality_id.data,
            'motivation': self.motivation.data or '',
            'consent': self.consent.data,
        }

    def account_data(self):
        return {
            'full_name_ka': self.full_name_ka.data,
            'full_name_en': self.full_name_en.data,
            'email': self.email.data,
            'password': self.password.data,
        }

    def draft(self):
        """What was typed, to keep while the person logs in (never the password)."""
        keep = ('sector', 'organization_id', 'organization_other', 'position')
        data = {name: self._fields[name].data for name in keep}
        data['residence_municipality_id'] = self.residence_municipality_id.data
        data['motivation'] = self.motivation.data or ''
        return data
