"""The domain model. One module per part; everything is re-exported here."""

from lms.extensions import UTCDateTime, utcnow
from lms.models.audit import AuditEntry
from lms.models.consultations import Consultation
from lms.models.courses import (
    COURSE_KINDS,
    OFFERING_FORMATS,
    OFFERING_STATUSES,
    Course,
    Offering,
    OfferingSession,
    Signatory,
    offering_trainers,
    seconds_between,
    session_hours,
)
from lms.models.enrollment import (
    ARCHIVE_OUTCOMES,
    ATTENDANCE_STATUSES,
    ATTENDED_STATUSES,
    ENROLLMENT_STATUSES,
    ApplicationTally,
    Assessment,
    Attendance,
    Enrollment,
    Result,
)
from lms.models.jobs import JOB_STATUSES, MESSAGE_STATUSES, Job, OutboxMessage
from lms.models.organizations import (
    ORGANIZATION_KINDS,
    REGIONS,
    Organization,
    organization_contacts,
    region_code,
)
from lms.models.people import (
    GENDERS,
    LOCALES,
    ROLES,
    SECTORS,
    ApiToken,
    PendingRegistration,
    User,
    hash_token,
)
from lms.models.statistics import FigureSnapshot

__all__ = [
    'ARCHIVE_OUTCOMES',
    'ATTENDANCE_STATUSES',
    'ATTENDED_STATUSES',
    'COURSE_KINDS',
    'ENROLLMENT_STATUSES',
    'GENDERS',
    'JOB_STATUSES',
    'LOCALES',
    'MESSAGE_STATUSES',
    'OFFERING_FORMATS',
    'OFFERING_STATUSES',
    'ORGANIZATION_KINDS',
    'REGIONS',
    'ROLES',
    'SECTORS',
    'ApiToken',
    'ApplicationTally',
    'Assessment',
    'Attendance',
    'AuditEntry',
    'Consultation',
    'Course',
    'Enrollment',
    'FigureSnapshot',
    'Job',
    'Offering',
    'OfferingSession',
    'Organization',
    'OutboxMessage',
    'PendingRegistration',
    'Result',
    'Signatory',
    'UTCDateTime',
    'User',
    'hash_token',
    'offering_trainers',
    'organization_contacts',
    'region_code',
    'seconds_between',
    'session_hours',
    'utcnow',
]
