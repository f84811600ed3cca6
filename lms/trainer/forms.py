"""The trainer's forms: a roster and a score sheet as posted (one field per person), and
the CSV import."""

from wtforms import TextAreaField

from lms.attendance.csv_io import MAX_TEXT_LENGTH
from lms.attendance.service import Seen, read_version
from lms.forms import Form, max_length


def roster_records(formdata, enrollment_ids, *, all_present=False):
    """The roster rows a form posted: `status-<id>` and `note-<id>` per enrollment.

    People left without a status are not sent (they stay unrecorded). With
    `all_present`, everyone on the roster is marked present, notes kept.
    """
    records = []
    for enrollment_id in enrollment_ids:
        status = 'present' if all_present else formdata.get(f'status-{enrollment_id}', '')
        note = formdata.get(f'note-{enrollment_id}', '')
        if status:
            records.append({'enrollment_id': enrollment_id, 'status': status, 'note': note})
    return records


def roster_seen(formdata, enrollment_ids):
    """What the roster page that posted showed: its version (`roster_version`, the last
    change it saw) and each person's mark as shown (`was-<id>`, `was-note-<id>`). A form
    without a version (drawn before versions existed) is not checked: None."""
    if 'roster_version' not in formdata:
        return None
    marks = {
        enrollment_id: (
            formdata[f'was-{enrollment_id}'],
            formdata.get(f'was-note-{enrollment_id}', ''),
        )
        for enrollment_id in enrollment_ids
        if formdata.get(f'was-{enrollment_id}')
    }
    return Seen(read_version(formdata['roster_version']), marks)


def score_records(formdata, enrollment_ids):
    """The score rows a form posted: `score-<id>` per enrollment; empty ones are skipped."""
    records = []
    for enrollment_id in enrollment_ids:
        score = formdata.get(f'score-{enrollment_id}', '').strip().replace(',', '.')
        if score:
            records.append({'enrollment_id': enrollment_id, 'score': score})
    return records


class CsvImportForm(Form):
    csv_text = TextAreaField(validators=[max_length(MAX_TEXT_LENGTH)])
