"""The certificate authority: serials, signed claims, PDFs and their verification.

lms talks to it only through this module. It knows nothing about courses.
"""

from certificates.models import CERTIFICATE_STATUSES, Certificate, SigningKey

__all__ = ['CERTIFICATE_STATUSES', 'Certificate', 'SigningKey']
