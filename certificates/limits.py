"""The rate limit of verification: one budget per address for the pages and the API alike."""

from functools import wraps

from flask import current_app

from lms.extensions import limiter


def _verify_limit():
    return current_app.config['VERIFY_RATE_LIMIT']


def verify_limit(view):
    """Limit `view` per address (scope 'verify'), and cost nothing when limits are off.

    Flask-Limiter still evaluates a decorated view's limits with RATELIMIT_ENABLED false;
    on the busiest public address that is a quarter of the request, so it is skipped.
    """
    limited = limiter.shared_limit(_verify_limit, scope='verify')(view)

    @wraps(view)
    def wrapper(*args, **kwargs):
        if current_app.config.get('RATELIMIT_ENABLED', True):
            return limited(*args, **kwargs)
        return view(*args, **kwargs)

    return wrapper
