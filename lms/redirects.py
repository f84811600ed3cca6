"""Where a page may send people next: paths on this site, never another site."""

from urllib.parse import urlsplit


def safe_next(target, fallback):
    """`target` when it is a path on this site, `fallback` otherwise (no open redirects).

    Browsers read `//host` and `/\\host` as another site, and drop tabs and line breaks
    before they look, so `/<tab>/host` is refused as well.
    """
    if not target or not target.startswith('/') or target.startswith('//'):
        return fallback
    if '\\' in target or any(ord(char) < 0x20 or ord(char) == 0x7F for char in target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return fallback
    return target
