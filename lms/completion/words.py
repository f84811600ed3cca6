"""Completion reasons and standings in words, in the reader's language."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.formatting import format_date
from lms.labels import label

STANDING_WORDS = {
    'eligible': _l('eligible'),
    'not_eligible': _l('not eligible'),
    'on_track': _l('on track'),
    'at_risk': _l('at risk'),
}


def _pct(value):
    return f'{float(value):g}'


def describe(reason):
    """A reason from rules.check_eligibility as a sentence a trainer can read out."""
    p = reason.params
    if reason.code == 'not_accepted':
        return _('enrollment is %(status)s', status=label(p[0], 'enrollment_status'))
    if reason.code == 'no_certificate':
        return _('the course grants no certificate')
    if reason.code == 'not_over':
        return _('the offering ends on %(date)s', date=format_date(p[0]))
    if reason.code == 'attendance':
        return _('attendance %(pct)s%% < %(min)s%%', pct=_pct(p[0]), min=_pct(p[1]))
    if reason.code == 'attendance_so_far':
        return _('attendance so far %(pct)s%% < %(min)s%%', pct=_pct(p[0]), min=_pct(p[1]))
    if reason.code == 'attendance_out_of_reach':
        return _(
            'even with every remaining session attendance can reach only %(pct)s%% < %(min)s%%',
            pct=_pct(p[0]),
            min=_pct(p[1]),
        )
    if reason.code == 'assessment_failed':
        return _("assessment '%(title)s' not passed", title=p[0])
    if reason.code == 'assessment_missing':
        return _("assessment '%(title)s' not passed (no score yet)", title=p[0])
    return reason.code


def describe_all(eligibility, *, skip=()):
    """Every reason in words, leaving out the codes in `skip` (a page that says once, on
    top, that the offering is not over skips `not_over`)."""
    return [describe(r) for r in eligibility.reasons if r.code not in skip]


def standing_word(eligibility):
    return STANDING_WORDS[eligibility.standing]
