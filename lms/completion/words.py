"""Completion reasons in words, in the reader's language."""

from flask_babel import gettext as _

from lms.labels import label


def _pct(value):
    return f'{float(value):g}'


def describe(reason):
    """A reason from rules.check_eligibility as a sentence a trainer can read out."""
    p = reason.params
    if reason.code == 'not_accepted':
        return _('enrollment is %(status)s', status=label(p[0], 'enrollment_status'))
    if reason.code == 'no_certificate':
        return _('the course grants no certificate')
    if reason.code == 'attendance':
        return _('attendance %(pct)s%% < %(min)s%%', pct=_pct(p[0]), min=_pct(p[1]))
    if reason.code == 'assessment_failed':
        return _("assessment '%(title)s' not passed", title=p[0])
    if reason.code == 'assessment_missing':
        return _("assessment '%(title)s' not passed (no score yet)", title=p[0])
    return reason.code


def describe_all(eligibility):
    return [describe(r) for r in eligibility.reasons]
