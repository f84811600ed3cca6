"""Files that jobs write for people to download (ZIPs of certificates), in instance/exports/.

Each file is named by its job and a random part (`<job id>-<random>.zip`), so a name is
never guessed nor reused; it is written under a temporary name and renamed when complete,
so a download never sees half a file. Files older than KEEP are removed by a periodic task
(lms.jobs.tasks); the job then says the file is gone and the page offers to make it again.
"""

import os
import secrets
import time
from datetime import timedelta

from flask import current_app

#: How long a file stays downloadable.
KEEP = timedelta(hours=24)


def folder():
    path = current_app.config.get('EXPORTS_DIR') or os.path.join(
        current_app.instance_path, 'exports'
    )
    os.makedirs(path, mode=0o700, exist_ok=True)
    return path


def new_name(job_id, suffix):
    return f'{job_id}-{secrets.token_urlsafe(12)}{suffix}'


def path_of(name):
    """The file `name` (as a job's result holds it) in the exports folder, or None when it
    is gone or the name is not one of ours."""
    if not name or os.path.basename(name) != name or name.startswith('.'):
        return None
    path = os.path.join(folder(), name)
    return path if os.path.isfile(path) else None


def write(name, produce):
    """Write the file `name` with `produce(open_binary_file)`, all or nothing."""
    final = os.path.join(folder(), name)
    draft = os.path.join(folder(), f'.{name}.part')
    try:
        with open(draft, 'wb') as fh:
            produce(fh)
        os.replace(draft, final)
    finally:
        if os.path.exists(draft):
            os.unlink(draft)
    return final


def remove_old(now=None, keep=KEEP):
    """Delete files (and drafts a dead worker left) older than `keep`; returns how many."""
    return remove_older(folder(), keep, now)


def remove_older(path, keep, now=None):
    """Delete the files in the folder `path` last written over `keep` ago; how many."""
    now = time.time() if now is None else now
    removed = 0
    with os.scandir(path) as entries:
        for entry in entries:
            if entry.is_file() and now - entry.stat().st_mtime > keep.total_seconds():
                os.unlink(entry.path)
                removed += 1
    return removed
