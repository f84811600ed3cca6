"""Rate limits in words: how long a pause that a limit imposes lasts."""

import math

from limits import parse


def limit_minutes(limit):
    """The whole minutes of the window of `limit` (Flask-Limiter syntax, e.g. '10 per 15
    minutes'): the longest a client waits once the limit is reached. At least 1."""
    return max(1, math.ceil(parse(limit).get_expiry() / 60))
