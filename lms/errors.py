"""Domain errors: raised by services, mapped once to pages (flash + form errors) and to the API.

Messages may be lazy strings: they are rendered in the reader's language at the edge.
"""

from flask_babel import lazy_gettext as _l


class DomainError(Exception):
    status = 400
    code = 'bad_request'

    def __init__(self, message=None, *, fields=None, rows=None, code=None):
        if code is not None:
            #: A word for machines more precise than the class's (API.md, e.g.
            #: `offering_not_over` for a 409).
            self.code = code
        super().__init__(message if message is not None else self.code)
        self.message = message if message is not None else self.default_message()
        #: {field name: message} for the fields at fault.
        self.fields = dict(fields or {})
        #: For batch writes: [{'index': i, 'errors': {field: message}}].
        self.rows = list(rows or [])

    def default_message(self):
        return _l('The request could not be processed.')


class Invalid(DomainError):
    """Valid input shape, invalid values (422)."""

    status = 422
    code = 'invalid'

    def default_message(self):
        return _l('Some values are not valid.')


class Conflict(DomainError):
    """The change clashes with what exists, e.g. a duplicate (409)."""

    status = 409
    code = 'conflict'

    def default_message(self):
        return _l('This conflicts with an existing record.')


class PreconditionFailed(DomainError):
    """A condition the request set on the record's version (If-Match) names no version
    it has had (412)."""

    status = 412
    code = 'precondition_failed'

    def default_message(self):
        return _l('The version this request names does not match the record.')


class Forbidden(DomainError):
    """The caller may not do this, and `fields` can say which value they may not set (403)."""

    status = 403
    code = 'forbidden'

    def default_message(self):
        return _l('You are not allowed to do this.')


class DamagedFile(DomainError):
    """A stored file no longer hashes to what was recorded when it was made (500): it is
    not served, and the academy restores it from a backup."""

    status = 500
    code = 'damaged_file'

    def default_message(self):
        return _l(
            'The stored file is damaged and is not served. The academy has been told; its '
            'verification page still shows whether the certificate is valid.'
        )
