"""The completion view in the trainer's language, before and after an offering ends."""

from datetime import date, timedelta

import pytest

#: English words the view and its standings are made of; none may show on a Georgian page.
ENGLISH = [
    'A certificate needs',
    'The offering ends on',
    'Attendance so far',
    'attendance so far',
    'of all',
    'not eligible',
    'on track',
    'at risk',
    'the offering ends on',
    'even with every remaining session',
]


@pytest.mark.parametrize('when', ['over', 'running'])
def test_the_completion_view_is_all_georgian(
    client, login, create_user, create_offering, create_enrollment, when
):
    trainer = create_user(role='trainer')
    starts = date(2026, 3, 2) if when == 'over' else date.today() - timedelta(days=1)
    offering = create_offering(
        trainers=[trainer], sessions=3, starts_on=starts, ends_on=starts + timedelta(days=2)
    )
    create_enrollment(offering=offering, user=create_user(full_name_ka='ანა ბერიძე'))
    login(trainer)
    page = client.get(f'/teach/offerings/{offering.id}/completion').text
    assert 'ანა ბერიძე' in page
    assert 'დასწრება' in page
    assert [words for words in ENGLISH if words in page] == []
