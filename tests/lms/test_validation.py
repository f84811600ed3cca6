"""The one set of input rules pages and API share: each Field kind, and hostile values.

Pure functions: no app, no database.
"""

import importlib
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from lms.errors import Invalid
from lms.validation import MAX_INT, Field, clean

TBILISI = timezone(timedelta(hours=4))


def accepts(field, value):
    return clean({'x': value}, {'x': field})['x']


def refuses(field, value):
    """The message `clean` gives for `value`; fails the test when the value is accepted."""
    with pytest.raises(Invalid) as caught:
        clean({'x': value}, {'x': field})
    assert set(caught.value.fields) == {'x'}
    return str(caught.value.fields['x'])


# Text


def test_text_is_trimmed_and_inner_white_space_collapses_to_one_space():
    assert accepts(Field(), '  Nino \t  Beridze\n') == 'Nino Beridze'


def test_long_text_keeps_its_line_breaks():
    assert accepts(Field('text'), '  first line\n\nsecond line  ') == 'first line\n\nsecond line'


@pytest.mark.parametrize('value', [123, 1.5, True, ['a'], {'a': 'b'}])
def test_text_fields_refuse_values_that_are_not_text(value):
    assert refuses(Field(), value) == 'Must be text.'


def test_text_longer_than_its_field_is_refused_counting_letters_not_bytes():
    assert accepts(Field(max_length=5), 'ნინო ') == 'ნინო'
    assert accepts(Field(max_length=5), 'ქეთოს') == 'ქეთოს'
    assert refuses(Field(max_length=5), 'ქეთევანი') == 'At most 5 characters.'


@pytest.mark.parametrize(
    'value', ['nul\x00byte', 'escape \x1b[31mred', 'bell\x07', 'lone \ud800 surrogate', 'del\x7f']
)
def test_control_characters_and_lone_surrogates_never_get_in(value):
    assert refuses(Field('text'), value) == 'Contains characters that are not allowed.'


@pytest.mark.parametrize(
    'value',
    ['<script>alert(1)</script>', "Robert'); DROP TABLE users;--", '{{ 7 * 7 }}', '%(n)s %s'],
)
def test_markup_and_sql_are_kept_as_plain_text(value):
    """Escaping happens where text is shown and SQL is parametrised: the value is the value."""
    assert accepts(Field(), value) == value


def test_choices_must_match_exactly_after_trimming():
    role = Field(choices=('admin', 'trainer', 'participant'))
    assert accepts(role, ' trainer ') == 'trainer'
    assert refuses(role, 'Admin') == 'Choose one of: admin, trainer, participant.'
    assert refuses(role, 'root') == 'Choose one of: admin, trainer, participant.'


# Numbers


@pytest.mark.parametrize(('value', 'number'), [(42, 42), ('42', 42), (' -7 ', -7), (3.0, 3)])
def test_whole_numbers_come_as_numbers_or_digits(value, number):
    assert accepts(Field('int'), value) == number


@pytest.mark.parametrize(
    'value',
    [4.5, '4.5', '1e3', '0x10', '1_000', 'abc', True, False, [], {}, float('nan'), float('inf')],
)
def test_anything_else_is_not_a_whole_number(value):
    assert refuses(Field('int'), value) == 'Write a whole number with the digits 0–9, such as 12.'


@pytest.mark.parametrize('value', [MAX_INT + 1, -MAX_INT - 1, 10**100, 1e300])
def test_whole_numbers_stay_within_what_the_database_holds(value):
    assert 'Must be at most' in refuses(Field('int'), value)


def test_a_number_with_thousands_of_digits_is_refused_not_an_error():
    assert (
        refuses(Field('int'), '9' * 5000) == 'Write a whole number with the digits 0–9, such as 12.'
    )


def test_whole_numbers_keep_to_their_range():
    pct = Field('int', min=0, max=100)
    assert accepts(pct, 0) == 0
    assert accepts(pct, 100) == 100
    assert refuses(pct, -1) == 'Must be at least 0.'
    assert refuses(pct, 101) == 'Must be at most 100.'


@pytest.mark.parametrize(
    ('value', 'number'),
    [('12.5', Decimal('12.50')), (16, Decimal('16.00')), (2.345, Decimal('2.35')), ('1,5', 1.5)],
)
def test_decimals_are_rounded_to_two_places_like_the_columns(value, number):
    assert accepts(Field('decimal'), value) == number


@pytest.mark.parametrize(
    'value',
    ['NaN', 'sNaN', 'Infinity', '-inf', 'abc', '', True, [1], {'a': 1}, '1e2', '١٢', '1_000'],
)
def test_decimals_refuse_what_is_not_a_finite_number(value):
    if value == '':
        assert refuses(Field('decimal'), value) == 'This field is required.'
    else:
        assert (
            refuses(Field('decimal'), value)
            == 'Write a number with the digits 0–9, such as 12 or 12.5.'
        )


def test_decimals_keep_to_their_range():
    hours = Field('decimal', min=0, max=1000)
    assert refuses(hours, '-0.5') == 'Must be at least 0.'
    assert refuses(hours, '9' * 20) == f'Must be at most {MAX_INT}.'
    assert refuses(hours, '1e400') == 'Write a number with the digits 0–9, such as 12 or 12.5.'


# Yes or no


@pytest.mark.parametrize(
    ('value', 'result'),
    [(True, True), (False, False), ('true', True), ('false', False), ('on', True),
     ('off', False), ('1', True), ('0', False), ('TRUE', True)],
)  # fmt: skip
def test_yes_or_no_comes_as_a_boolean_or_a_form_word(value, result):
    assert accepts(Field('bool'), value) is result


@pytest.mark.parametrize('value', [1, 0, 'maybe', [], {}, 1.0])
def test_yes_or_no_refuses_anything_else(value):
    assert refuses(Field('bool'), value) == 'Must be true or false.'


# Dates and times


def test_dates_are_iso():
    assert accepts(Field('date'), '2026-03-02') == date(2026, 3, 2)
    assert accepts(Field('date'), date(2026, 3, 2)) == date(2026, 3, 2)


@pytest.mark.parametrize(
    'value',
    ['2026-02-30', '02/03/2026', '2026-3-2', '20260302', 20260302, '2026-03-02T10:00',
     '２０２６-03-02', datetime(2026, 3, 2, tzinfo=UTC), ['2026-03-02']],
)  # fmt: skip
def test_anything_but_an_iso_date_is_refused(value):
    assert refuses(Field('date'), value) == 'Must be a date as YYYY-MM-DD.'


def test_times_carry_their_offset():
    assert accepts(Field('datetime'), '2026-03-02T10:00:00+04:00') == datetime(
        2026, 3, 2, 10, tzinfo=TBILISI
    )
    assert accepts(Field('datetime'), '2026-03-02T06:00:00Z') == datetime(2026, 3, 2, 6, tzinfo=UTC)


def test_a_time_without_an_offset_is_refused_with_a_hint():
    assert (
        refuses(Field('datetime'), '2026-03-02T10:00') == 'The time needs an offset, e.g. +04:00.'
    )
    assert refuses(Field('datetime'), datetime(2026, 3, 2, 10)) == (
        'The time needs an offset, e.g. +04:00.'
    )


@pytest.mark.parametrize('value', ['tomorrow', 12, ['2026-03-02T10:00Z'], '0001-01-01T00:00+04:00'])
def test_anything_but_an_iso_time_is_refused(value):
    assert refuses(Field('datetime'), value) == 'Must be a time as ISO 8601 with an offset.'


# E-mail addresses


def test_email_addresses_are_stored_lower_case_and_trimmed():
    assert accepts(Field('email'), ' Nino.Beridze@Example.GE ') == 'nino.beridze@example.ge'


@pytest.mark.parametrize(
    'value',
    ['nino', 'nino@', '@example.ge', 'nino@example', 'ni no@example.ge', 'nino@@example.ge',
     'nino@example..ge', '<nino@example.ge>', 'nino@exa\nmple.ge'],
)  # fmt: skip
def test_malformed_email_addresses_are_refused(value):
    assert refuses(Field('email', max_length=254), value) == 'Not a valid e-mail address.'


def test_an_overlong_email_address_is_refused():
    assert refuses(Field('email', max_length=254), 'n' * 250 + '@example.ge') == (
        'At most 254 characters.'
    )


# Ids


@pytest.mark.parametrize(('value', 'number'), [(1, 1), ('7', 7), (MAX_INT, MAX_INT)])
def test_ids_are_positive_whole_numbers(value, number):
    assert accepts(Field('id'), value) == number


@pytest.mark.parametrize('value', [0, -1, '0', 'abc', '1.5', True, 1.0, [1], MAX_INT + 1])
def test_anything_else_is_not_an_id(value):
    assert refuses(Field('id'), value) == 'Must be an id (a whole number).'


def test_a_list_of_ids_is_checked_id_by_id():
    assert accepts(Field('ids'), [3, '1', 2]) == [3, 1, 2]
    assert refuses(Field('ids'), [1, 'x']) == 'Must be an id (a whole number).'
    assert refuses(Field('ids'), [1, 1]) == 'The same id is listed twice.'


@pytest.mark.parametrize('value', [1, '1,2', {'1': 2}])
def test_ids_must_come_as_a_list(value):
    assert refuses(Field('ids'), value) == 'Must be a list of ids.'


# The whole body


def test_every_bad_field_is_named_at_once():
    spec = {'email': Field('email'), 'hours': Field('int', min=1), 'name': Field()}
    with pytest.raises(Invalid) as caught:
        clean({'email': 'nope', 'hours': 0}, spec)
    assert {k: str(v) for k, v in caught.value.fields.items()} == {
        'email': 'Not a valid e-mail address.',
        'hours': 'Must be at least 1.',
        'name': 'This field is required.',
    }
    assert caught.value.status == 422


@pytest.mark.parametrize('value', [None, '', '   ', '\u00a0'])
def test_empty_values_count_as_absent(value):
    spec = {
        'name': Field(),
        'note': Field(required=False),
        'kind': Field(required=False, default='x'),
    }
    with pytest.raises(Invalid) as caught:
        clean({'name': value, 'note': value, 'kind': value}, spec)
    assert list(caught.value.fields) == ['name']
    assert clean({'name': 'n', 'note': value, 'kind': value}, spec) == {
        'name': 'n',
        'note': None,
        'kind': 'x',
    }


def test_unknown_keys_are_ignored():
    assert clean({'name': 'n', 'is_admin': True, 'role': 'admin'}, {'name': Field()}) == {
        'name': 'n'
    }


def test_a_partial_update_leaves_absent_fields_out_but_refuses_emptying_a_required_one():
    spec = {'name': Field(), 'hours': Field('int', required=False, default=8)}
    assert clean({}, spec, partial=True) == {}
    assert clean({'hours': '4'}, spec, partial=True) == {'hours': 4}
    with pytest.raises(Invalid) as caught:
        clean({'name': ''}, spec, partial=True)
    assert list(caught.value.fields) == ['name']


@pytest.mark.parametrize('body', [None, [], ['name'], 'name', 42])
def test_a_body_that_is_not_an_object_is_refused(body):
    with pytest.raises(Invalid) as caught:
        clean(body, {'name': Field()})
    assert str(caught.value.message) == 'The body must be a JSON object.'


def _text_specs():
    """(spec name, field name, Field) for every text field of every service's field spec."""
    root = Path(__file__).resolve().parents[2]
    for path in sorted((root / 'lms').rglob('service.py')):
        module = importlib.import_module('.'.join(path.relative_to(root).with_suffix('').parts))
        for spec_name, spec in vars(module).items():
            if not spec_name.endswith('_FIELDS') or not isinstance(spec, dict):
                continue
            for name, field in spec.items():
                if isinstance(field, Field) and field.kind in ('str', 'text', 'email'):
                    yield f'{module.__name__}.{spec_name}', name, field


TEXT_SPECS = list(_text_specs())


@pytest.mark.parametrize(
    ('spec', 'name', 'field'), TEXT_SPECS, ids=[f'{s}.{n}' for s, n, _ in TEXT_SPECS]
)
def test_every_text_field_of_a_service_refuses_a_long_paste(spec, name, field):
    assert field.max_length or field.choices, f'{spec}: {name} takes text of any length'
    with pytest.raises(Invalid) as caught:
        clean({name: 'x' * 200_000}, {name: field})
    assert set(caught.value.fields) == {name}


def test_text_is_stored_in_one_spelling_without_invisible_direction_marks():
    spec = {'name': Field(max_length=50)}
    decomposed = 'Rene\u0301 ბერიძე'  # e + a combining acute accent
    assert clean({'name': decomposed}, spec) == {'name': 'René ბერიძე'}
    assert len(clean({'name': decomposed}, spec)['name']) == len('René ბერიძე')
    # An override pasted in would make the name print reversed on a certificate.
    assert clean({'name': '\u202eნინო\u202c ბერიძე\u200f'}, spec) == {'name': 'ნინო ბერიძე'}


def test_a_name_of_direction_marks_alone_is_no_name():
    with pytest.raises(Invalid) as raised:
        clean({'name': '\u202e\u2066'}, {'name': Field()})
    assert 'name' in raised.value.fields
