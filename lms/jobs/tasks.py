"""The jobs area's own periodic work: old export files go."""

from lms import jobs
from lms.jobs import exports


@jobs.periodic_task(jobs.crontab(minute='7'))
def remove_old_exports():
    """Every hour: export files older than exports.KEEP (24 hours) are deleted."""
    exports.remove_old()
