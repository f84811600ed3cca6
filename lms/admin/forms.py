"""The shape of the admin's forms. Lengths and ranges come from the services' field specs,
so a form and the API refuse the same values; rules that need the database stay there.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import get_timezone
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    NumberRange,
    Optional,
)

from lms.awarding.service import REVOKE_FIELDS
from lms.awarding.signatories import SIGNATORY_FIELDS
from lms.catalogue.service import COURSE_FIELDS, OFFERING_FIELDS, SESSION_FIELDS
from lms.consultations.service import CONSULTATION_FIELDS
from lms.forms import (
    ORGANIZATION_VALUE_LENGTH,
    Form,
    NumberField,
    OrganizationField,
    WholeNumberField,
    length,
    max_length,
    min_length,
    number_range,
    readable,
)
from lms.i18n import localized
from lms.labels import choices
from lms.organizations.service import CONTACT_FIELDS, ORGANIZATION_FIELDS
from lms.people.passwords import MIN_PASSWORD_LENGTH
from lms.people.service import USER_FIELDS


def _optional_id(value):
    return int(value) if value not in (None, '') else None


class CourseForm(Form):
    code = StringField(_l('Code'), validators=[DataRequired(), length(COURSE_FIELDS, 'code')])
    title_ka = StringField(
        _l('Title in Georgian'), validators=[DataRequired(), length(COURSE_FIELDS, 'title_ka')]
    )
    title_en = StringField(
        _l('Title in English'), validators=[DataRequired(), length(COURSE_FIELDS, 'title_en')]
    )
    description_ka = TextAreaField(
        _l('Description in Georgian'),
        validators=[Optional(), length(COURSE_FIELDS, 'description_ka')],
    )
    description_en = TextAreaField(
        _l('Description in English'),
        validators=[Optional(), length(COURSE_FIELDS, 'description_en')],
    )
    kind = SelectField(_l('Kind'), choices=[], validators=[DataRequired()])
    hours = NumberField(
        _l('Nominal hours'),
        validators=[InputRequired(), readable, number_range(COURSE_FIELDS, 'hours')],
    )
    min_attendance_pct = WholeNumberField(
        _l('Minimum attendance (%)'),
        default=80,
        description=_l('A participant needs at least this share of the hours for a certificate.'),
        validators=[
            InputRequired(),
            readable,
            number_range(COURSE_FIELDS, 'min_attendance_pct'),
        ],
    )
    grants_certificate = BooleanField(_l('Grants a certificate'), default=True)
    validity_months = WholeNumberField(
        _l('Certificates valid for (months)'),
        description=_l('Leave empty when certificates do not expire.'),
        validators=[Optional(), readable, number_range(COURSE_FIELDS, 'validity_months')],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = choices('course_kind')


class OfferingForm(Form):
    course_id = SelectField(
        _l('Course'), choices=[], coerce=_optional_id, validators=[DataRequired()]
    )
    starts_on = DateField(_l('Starts on'), validators=[InputRequired()])
    ends_on = DateField(_l('Ends on'), validators=[InputRequired()])
    location = StringField(
        _l('Place in Georgian'), validators=[DataRequired(), length(OFFERING_FIELDS, 'location')]
    )
    location_en = StringField(
        _l('Place in English'),
        description=_l(
            'For English pages and certificates; left empty, the Georgian is romanised.'
        ),
        validators=[Optional(), length(OFFERING_FIELDS, 'location_en')],
    )
    municipality_id = SelectField(
        _l('Host municipality'), choices=[], coerce=_optional_id, validators=[Optional()]
    )
    format = SelectField(_l('Format'), choices=[], validators=[DataRequired()])
    capacity = WholeNumberField(
        _l('Capacity'),
        description=_l('Places for accepted participants; leave empty for no limit.'),
        validators=[Optional(), readable, number_range(OFFERING_FIELDS, 'capacity')],
    )
    applications_open_on = DateField(_l('Applications open on'), validators=[Optional()])
    applications_close_on = DateField(_l('Applications close on'), validators=[Optional()])
    status = SelectField(_l('Status'), choices=[], validators=[DataRequired()])
    trainer_ids = SelectMultipleField(_l('Trainers'), choices=[], coerce=int)

    def __init__(self, *args, courses=(), municipalities=(), trainers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.course_id.choices = [('', _l('Choose a course'))] + [
            (c.id, f'{c.code} · {localized(c, "title")}') for c in courses
        ]
        self.municipality_id.choices = [('', _l('None'))] + [
            (m.id, localized(m, 'name')) for m in municipalities
        ]
        self.format.choices = choices('offering_format')
        self.status.choices = choices('offering_status')
        self.trainer_ids.choices = [(t.id, localized(t, 'full_name')) for t in trainers]


class SessionForm(Form):
    """Times are entered in the academy's local time and handed to the service in UTC."""

    day = DateField(_l('Date'), validators=[InputRequired()])
    starts_at = TimeField(
        _l('Starts at'), format=['%H:%M', '%H:%M:%S'], validators=[InputRequired()]
    )
    ends_at = TimeField(_l('Ends at'), format=['%H:%M', '%H:%M:%S'], validators=[InputRequired()])
    topic = StringField(_l('Topic'), validators=[Optional(), length(SESSION_FIELDS, 'topic')])

    @classmethod
    def initial(cls, offering_session):
        """The local date and times of a saved session, to fill the form with."""
        zone = _local_zone()
        starts, ends = (
            t.astimezone(zone) for t in (offering_session.starts_at, offering_session.ends_at)
        )
        return {
            'day': starts.date(),
            'starts_at': starts.time(),
            'ends_at': ends.time(),
            'topic': offering_session.topic,
        }

    def values(self):
        """What the service takes: aware datetimes and the topic."""
        zone = _local_zone()
        return {
            'starts_at': datetime.combine(self.day.data, self.starts_at.data, zone),
            'ends_at': datetime.combine(self.day.data, self.ends_at.data, zone),
            'topic': self.topic.data,
        }


def _local_zone():
    return ZoneInfo(str(get_timezone()))


class EnrollForm(Form):
    # The person list is a search result, so any id may come back: the service checks it.
    user_id = SelectField(
        _l('Person'),
        choices=[],
        coerce=_optional_id,
        validate_choice=False,
        validators=[DataRequired()],
    )
    status = SelectField(_l('Status'), choices=[], default='accepted', validators=[DataRequired()])

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.user_id.choices = [(p.id, f'{localized(p, "full_name")} · {p.email}') for p in people]
        self.status.choices = choices('enrollment_status')


class PersonForm(Form):
    email = EmailField(_l('E-mail'), validators=[DataRequired(), length(USER_FIELDS, 'email')])
    full_name_ka = StringField(
        _l('Full name in Georgian'),
        validators=[DataRequired(), length(USER_FIELDS, 'full_name_ka')],
    )
    full_name_en = StringField(
        _l('Full name in Latin letters'),
        description=_l('Leave empty to spell it as in a Georgian passport.'),
        validators=[Optional(), length(USER_FIELDS, 'full_name_en')],
    )
    role = SelectField(_l('Role'), choices=[], default='participant', validators=[DataRequired()])
    sector = SelectField(_l('Sector'), choices=[], default='other', validators=[DataRequired()])
    organization_id = OrganizationField(
        _l('Organisation'), validators=[max_length(ORGANIZATION_VALUE_LENGTH)]
    )
    position = StringField(_l('Position'), validators=[Optional(), length(USER_FIELDS, 'position')])
    gender = SelectField(_l('Gender'), choices=[], validators=[Optional()])
    phone = StringField(_l('Phone'), validators=[Optional(), length(USER_FIELDS, 'phone')])
    is_active = BooleanField(
        _l('Active'), default=True, description=_l('Inactive accounts cannot log in.')
    )
    password = PasswordField(
        _l('New password'),
        description=_l('Leave empty to keep the current password.'),
        validators=[
            Optional(),
            min_length(MIN_PASSWORD_LENGTH),
            length(USER_FIELDS, 'password'),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = choices('role')
        self.sector.choices = choices('sector')
        self.gender.choices = choices('gender', blank=_l('Not stated'))


class NewPersonForm(PersonForm):
    """A new account is active; its password is optional (without one it cannot log in yet)."""

    is_active = None
    password = PasswordField(
        _l('Password'),
        description=_l('Optional: without one the person cannot log in yet.'),
        validators=[
            Optional(),
            min_length(MIN_PASSWORD_LENGTH),
            length(USER_FIELDS, 'password'),
        ],
    )


class OrganizationForm(Form):
    name_ka = StringField(
        _l('Name in Georgian'),
        validators=[DataRequired(), length(ORGANIZATION_FIELDS, 'name_ka')],
    )
    name_en = StringField(
        _l('Name in English'),
        validators=[DataRequired(), length(ORGANIZATION_FIELDS, 'name_en')],
    )
    kind = SelectField(_l('Kind'), choices=[], validators=[DataRequired()])
    region = SelectField(_l('Region'), choices=[], validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = choices('organization_kind')
        self.region.choices = choices('region', blank=_l('Nationwide or abroad'))


class ContactForm(Form):
    """A contact person of an organisation, found by the e-mail address of their account."""

    email = EmailField(
        _l('E-mail of the contact person'),
        description=_l('The address they log in with; they need an account.'),
        validators=[DataRequired(), length(CONTACT_FIELDS, 'email')],
    )


class ConsultationForm(Form):
    """An expert consultation. The organisation is given by its id: the page finds it by
    name first (a search, no list of every organisation), or its page links here with it."""

    organization_id = WholeNumberField(
        _l('Organisation (number)'),
        description=_l('Find it by name above, or follow "Record a consultation" on its page.'),
        validators=[InputRequired(), readable],
    )
    held_on = DateField(_l('Date'), validators=[InputRequired()])
    expert = StringField(
        _l('Expert'), validators=[DataRequired(), length(CONSULTATION_FIELDS, 'expert')]
    )
    topic = StringField(
        _l('Topic'), validators=[DataRequired(), length(CONSULTATION_FIELDS, 'topic')]
    )
    hours = NumberField(
        _l('Hours'),
        validators=[InputRequired(), readable, number_range(CONSULTATION_FIELDS, 'hours')],
    )
    notes = TextAreaField(
        _l('Notes'), validators=[Optional(), length(CONSULTATION_FIELDS, 'notes')]
    )


class SignatoryForm(Form):
    course_id = SelectField(
        _l('Signs for'), coerce=lambda v: int(v) if v else None, validators=[Optional()]
    )
    name_ka = StringField(
        _l('Full name in Georgian'),
        validators=[DataRequired(), length(SIGNATORY_FIELDS, 'name_ka')],
    )
    name_en = StringField(
        _l('Full name in Latin letters'),
        validators=[DataRequired(), length(SIGNATORY_FIELDS, 'name_en')],
    )
    title_ka = StringField(
        _l('Position in Georgian'),
        description=_l('As printed under the signature, e.g. Director.'),
        validators=[Optional(), length(SIGNATORY_FIELDS, 'title_ka')],
    )
    title_en = StringField(
        _l('Position in English'),
        validators=[Optional(), length(SIGNATORY_FIELDS, 'title_en')],
    )
    position = WholeNumberField(
        _l('Order on the certificate'),
        default=0,
        validators=[Optional(), NumberRange(min=0, max=100)],
    )
    signature = FileField(_l('Signature image (PNG, optional)'))
    remove_signature = BooleanField(_l('Remove the signature image'))

    def __init__(self, *args, courses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.course_id.choices = [('', _l('The academy (every course without its own)'))] + [
            (c.id, f'{c.code} · {localized(c, "title")}') for c in courses
        ]


class RevokeForm(Form):
    category = SelectField(
        _l('Reason'),
        choices=[],
        validators=[DataRequired()],
        description=_l('Anyone who checks the certificate sees this reason.'),
    )
    reason = TextAreaField(
        _l('Details'),
        validators=[DataRequired(), length(REVOKE_FIELDS, 'reason')],
        description=_l(
            'What happened, for the academy: only administrators see it. At most 500 characters.'
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.category.choices = choices('revocation_category', blank=_l('Choose one'))
