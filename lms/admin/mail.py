"""E-mail: what the outbox sent, what waits, what could not be delivered; sending again."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.admin.common import cursors
from lms.extensions import db
from lms.forms import EmptyForm, saved
from lms.labels import choices
from lms.models import OutboxMessage
from lms.notifications.queries import message_counts, search_messages
from lms.notifications.service import resend as resend_message
from lms.pagination import keyset_page
from lms.search import search_text


def index():
    q, status = search_text(request.args.get('q')), request.args.get('status', '')
    return render_template(
        'admin/mail.html',
        page=keyset_page(search_messages(q, status), **cursors()),
        q=q,
        status=status,
        statuses=choices('message_status'),
        counts=message_counts(),
    )


def detail(message_id):
    message = db.get_or_404(OutboxMessage, message_id)
    return render_template('admin/mail_message.html', message=message, form=EmptyForm())


def resend(message_id):
    message = db.get_or_404(OutboxMessage, message_id)
    if saved(EmptyForm(), lambda: resend_message(message, actor=current_user)):
        flash(_('The message to %(address)s is sent again.', address=message.to_address), 'success')
    return redirect(url_for('.mail_message', message_id=message.id))
