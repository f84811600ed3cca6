"""The vendored axe-core is the one `make vendor-axe` fetched: its version is the pinned one
and its bytes are those recorded beside it (no browser needed)."""

import hashlib
import re
from pathlib import Path

VENDOR = Path(__file__).with_name('vendor')
MAKEFILE = Path(__file__).parents[2] / 'Makefile'


def test_the_vendored_axe_core_is_the_pinned_version_unchanged():
    pinned = re.search(r'^AXE_VERSION := (\S+)$', MAKEFILE.read_text(), re.M).group(1)
    script = (VENDOR / 'axe.min.js').read_bytes()
    assert script.startswith(f'/*! axe v{pinned}\n'.encode())
    recorded, name = (VENDOR / 'axe.min.js.sha256').read_text().split()
    assert name == 'axe.min.js'
    assert hashlib.sha256(script).hexdigest() == recorded
