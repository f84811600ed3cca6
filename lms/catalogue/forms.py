"""The application form: a POST button with CSRF and an optional motivation."""

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import Optional

from lms.enrollments.service import ENROLLMENT_FIELDS
from lms.forms import EmptyForm, max_length


class ApplyForm(EmptyForm):
    motivation = TextAreaField(
        _l('Why do you want to take part? (optional)'),
        validators=[Optional(), max_length(ENROLLMENT_FIELDS['motivation'].max_length)],
    )
