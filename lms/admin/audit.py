"""The audit log: every change to the academy's records, who made it and when, filtered.

Read only: the log has no page, service or command that changes or deletes an entry, and
on PostgreSQL the database itself refuses to (migrations: audit_entries_append_only).
"""

from datetime import date

from flask import render_template, request
from flask_babel import gettext as _

from lms.admin.common import cursors
from lms.audit import changes, object_types, search_entries
from lms.pagination import keyset_page
from lms.search import search_text
from lms.validation import MAX_INT

#: The longest action name (AuditEntry.action).
ACTION_LENGTH = 60


def _date(name, errors):
    text = (request.args.get(name) or '').strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors[name] = _('Write a date as YYYY-MM-DD.')
        return None


def _object_id(errors):
    text = (request.args.get('object_id') or '').strip()
    if not text:
        return None
    if text.isascii() and text.isdigit() and 0 < int(text) <= MAX_INT:
        return int(text)
    errors['object_id'] = _('Write a record number, such as 12.')
    return None


def index():
    kinds = object_types()
    errors = {}
    filters = {
        # A prefix: 'certificate.' finds every certificate action.
        'action': (request.args.get('action') or '').strip()[:ACTION_LENGTH],
        'object_type': request.args.get('object_type', '')
        if request.args.get('object_type') in kinds
        else '',
        'actor': search_text(request.args.get('q')),
        'since': _date('since', errors),
        'until': _date('until', errors),
        'object_id': _object_id(errors),
    }
    page = keyset_page(search_entries(**filters), **cursors())
    return render_template(
        'admin/audit.html',
        page=page,
        filters=filters,
        raw=request.args,
        errors=errors,
        object_types=kinds,
        changes=changes,
    ), (422 if errors else 200)
