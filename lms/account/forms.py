from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from lms.auth.forms import new_password_fields
from lms.forms import Form, max_length


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
        validators=[DataRequired(message=_l('This field is required.')), max_length(200)],
    )
    password, confirm = new_password_fields()
