"""Every text field of every form has a length limit, refused in the reader's language."""

import importlib
from pathlib import Path

import pytest
from flask_babel import force_locale
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.fields.core import UnboundField
from wtforms.validators import Length

ROOT = Path(__file__).resolve().parents[2]
FORM_MODULES = sorted(
    '.'.join(path.relative_to(ROOT).with_suffix('').parts)
    for path in (ROOT / 'lms').rglob('forms.py')
)


def _text_fields():
    for name in FORM_MODULES:
        module = importlib.import_module(name)
        for form in vars(module).values():
            if not (isinstance(form, type) and issubclass(form, FlaskForm)):
                continue
            for field_name in dir(form):
                field = getattr(form, field_name)
                if isinstance(field, UnboundField) and issubclass(field.field_class, StringField):
                    yield f'{form.__name__}.{field_name}', field


TEXT_FIELDS = dict(_text_fields())


def test_the_forms_have_text_fields_to_check():
    assert {'LoginForm.email', 'RevokeForm.reason', 'CsvImportForm.csv_text'} <= set(TEXT_FIELDS)


@pytest.mark.parametrize('name', sorted(TEXT_FIELDS))
def test_every_text_field_has_a_maximum_length_with_a_georgian_message(app, name):
    validators = TEXT_FIELDS[name].kwargs.get('validators') or []
    limits = [v for v in validators if isinstance(v, Length) and v.max > 0]

    assert limits, f'{name} takes text of any length'
    with app.test_request_context(), force_locale('ka'):
        message = str(limits[0].message) % {'max': limits[0].max}
    assert message == f'მაქსიმუმ {limits[0].max} სიმბოლო.'
