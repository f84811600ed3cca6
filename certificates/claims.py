"""Claims: what a certificate states, frozen at issue. The contract lms fills in.

certificates/ asks lms for nothing else: the names, course, hours, dates and issuer are
handed over as this snapshot, signed, printed and verified as they were on the day.
"""

import json
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal

#: Trainings give a certificate of completion; seminars, conferences and forums one of
#: participation (DESIGN.md).
CERTIFICATE_TYPES = {
    'training': 'completion',
    'seminar': 'participation',
    'conference': 'participation',
    'forum': 'participation',
}


@dataclass(frozen=True)
class Signatory:
    name_ka: str
    name_en: str
    title_ka: str = ''
    title_en: str = ''


@dataclass(frozen=True)
class Claims:
    holder_name_ka: str
    holder_name_en: str
    course_code: str
    course_title_ka: str
    course_title_en: str
    course_kind: str  # training, seminar, conference, forum
    hours: Decimal  # total hours of the offering's sessions
    sessions_attended: int
    sessions_total: int
    starts_on: date
    ends_on: date
    place_ka: str  # the offering's location, with the host municipality
    place_en: str
    issuer_name_ka: str
    issuer_name_en: str
    issuer_url: str  # PUBLIC_BASE_URL
    issued_on: date
    valid_until: date | None = None
    signatories: tuple[Signatory, ...] = field(default=())

    @property
    def certificate_type(self):
        """'completion' or 'participation'."""
        return CERTIFICATE_TYPES[self.course_kind]

    def as_dict(self):
        """Plain JSON types: dates as ISO strings, hours as a number."""
        data = asdict(self)
        data['hours'] = _number(self.hours)
        data['certificate_type'] = self.certificate_type
        for name in ('starts_on', 'ends_on', 'issued_on', 'valid_until'):
            data[name] = data[name].isoformat() if data[name] else None
        data['signatories'] = [asdict(s) for s in self.signatories]
        return data

    def canonical_json(self):
        """The exact bytes that get signed: sorted keys, UTF-8, no insignificant white space."""
        return json.dumps(
            self.as_dict(), sort_keys=True, ensure_ascii=False, separators=(',', ':')
        ).encode('utf-8')

    @classmethod
    def from_dict(cls, data):
        """The inverse of as_dict (e.g. read back from a verified credential)."""
        values = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        for name in ('starts_on', 'ends_on', 'issued_on', 'valid_until'):
            values[name] = date.fromisoformat(values[name]) if values.get(name) else None
        values['hours'] = Decimal(str(values['hours']))
        values['signatories'] = tuple(Signatory(**s) for s in values.get('signatories', ()))
        return cls(**values)


def _number(value):
    value = Decimal(str(value))
    return int(value) if value == value.to_integral() else float(value)
