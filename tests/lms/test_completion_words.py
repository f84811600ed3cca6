from flask_babel import force_locale

from lms.completion.rules import Reason
from lms.completion.words import describe


def test_reasons_read_as_design_md_states_them(app):
    with app.test_request_context(), force_locale('en'):
        assert describe(Reason('attendance', (62.0, 80))) == 'attendance 62% < 80%'
        assert describe(Reason('assessment_failed', ('Final project',))) == (
            "assessment 'Final project' not passed"
        )
