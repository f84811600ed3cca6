"""The academy in numbers (public): the same figures as the page /stats."""

from flask import jsonify, request

from lms.api.auth import public
from lms.api.base import bp
from lms.statistics.queries import stats_json, years_asked


@bp.get('/stats')
@public
def stats():
    first, last = years_asked(request.args)
    return jsonify(stats_json(first, last))
