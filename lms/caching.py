"""Brief reuse of what every visitor sees alike: the public figures, the catalogue's and
the front page's offering cards, and those two pages whole for visitors not logged in.

Each web process keeps its own copy for a few seconds (PUBLIC_CACHE_SECONDS, or the
`seconds` a caller names), per app, so that the busiest public pages are computed a few
times a minute instead of on every visit. Kept are plain values that hold no personal
data and no database objects (a row loaded by one request must not travel to another
thread's session); what is personal on a page (the menu of the person logged in, their
own application) is added to them on every request. Several processes and machines each
keep their own copy, so a change shows everywhere within the lifetime, without any
message between them. Why not Redis, shared by every machine: a page answered from the
process's memory costs well under a millisecond, one fetched from Redis a round trip and
unpickling, and a copy per process costs only a few more computations a minute.
"""

import threading
import time

from flask import current_app

#: The clock of the lifetimes; tests move it instead of waiting.
clock = time.monotonic

#: More distinct keys than this (searches typed by visitors) empty the store first.
MAX_ENTRIES = 256

_KEY = 'lms.caching'


class _Store:
    def __init__(self):
        self.entries = {}
        self.lock = threading.Lock()


def remembered(key, compute, seconds=None):
    """`compute()`, or what it returned for `key` less than `seconds` ago in this process.

    `seconds` defaults to the PUBLIC_CACHE_SECONDS setting; 0 computes every time. The
    result is shared by every request and thread of the process: it must be a value that
    is the same for every visitor and is never changed by its users.
    """
    ttl = current_app.config['PUBLIC_CACHE_SECONDS'] if seconds is None else seconds
    if not ttl:
        return compute()
    store = current_app.extensions.get(_KEY)
    if store is None:
        store = current_app.extensions.setdefault(_KEY, _Store())
    now = clock()
    hit = store.entries.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    # Computed outside the lock: a slow query must not hold up the other keys. Two
    # threads that miss at once both compute; the later result stays.
    value = compute()
    with store.lock:
        if len(store.entries) >= MAX_ENTRIES:
            store.entries.clear()
        store.entries[key] = (now + ttl, value)
    return value


def forget_all(app=None):
    """Empty the store of `app` (default: the current one)."""
    store = (app or current_app).extensions.get(_KEY)
    if store is not None:
        with store.lock:
            store.entries.clear()


def shared_page(key, render, *, personal):
    """The page `render()` returns, reused for PUBLIC_CACHE_SECONDS when it is the same for
    everyone who asks for `key` (the page, its address and its language): `personal` is
    true for someone logged in or with messages waiting, who gets a fresh render (from
    remembered data) every time. A page kept so holds no form with a CSRF token and no
    session, so nothing of one visitor reaches another.
    """
    if personal:
        return render()
    return remembered(('page', *key), render)
