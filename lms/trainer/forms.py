from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DecimalField, StringField
from wtforms.validators import DataRequired, InputRequired, NumberRange

from lms.catalogue.service import ASSESSMENT_FIELDS
from lms.forms import max_length


class AssessmentForm(FlaskForm):
    title = StringField(
        _l('Title'), validators=[DataRequired(), max_length(ASSESSMENT_FIELDS['title'].max_length)]
    )
    max_score = DecimalField(
        _l('Maximum score'),
        places=None,
        validators=[InputRequired(), NumberRange(min=0.01, max=99999)],
    )
    pass_score = DecimalField(
        _l('Pass score'), places=None, validators=[InputRequired(), NumberRange(min=0, max=99999)]
    )
    required = BooleanField(_l('Required for the certificate'), default=True)
