"""Rate limits in words (how long a pause that a limit imposes lasts), and the key an
e-mail address is counted under."""

import hashlib
import math

from limits import parse


def limit_minutes(limit):
    """The whole minutes of the window of `limit` (Flask-Limiter syntax, e.g. '10 per 15
    minutes'): the longest a client waits once the limit is reached. At least 1."""
    return max(1, math.ceil(parse(limit).get_expiry() / 60))


def address_key(email):
    """What an e-mail address is counted under, as accounts store it (trimmed, lowercase):
    a digest, so that the shared storage (Redis) holds no e-mail addresses."""
    address = (email or '').strip().lower()
    return hashlib.sha256(address.encode()).hexdigest()[:32]
