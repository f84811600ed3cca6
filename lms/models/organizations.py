"""Organisations: municipalities, CSOs, government bodies, academia; and Georgia's regions."""

from sqlalchemy import Column, ForeignKey, Index, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.extensions import db, one_of, trigram_index

ORGANIZATION_KINDS = ('municipality', 'cso', 'government', 'academia', 'other')

#: Georgia's regions (Tbilisi and the autonomous republic of Adjara stand as their own),
#: by code. The code is what the API and the database hold; the names are for people.
REGIONS = {
    'tbilisi': ('თბილისი', 'Tbilisi'),
    'adjara': ('აჭარის ავტონომიური რესპუბლიკა', 'Autonomous Republic of Adjara'),
    'guria': ('გურია', 'Guria'),
    'imereti': ('იმერეთი', 'Imereti'),
    'kakheti': ('კახეთი', 'Kakheti'),
    'mtskheta-mtianeti': ('მცხეთა-მთიანეთი', 'Mtskheta-Mtianeti'),
    'racha-lechkhumi-kvemo-svaneti': (
        'რაჭა-ლეჩხუმი და ქვემო სვანეთი',
        'Racha-Lechkhumi and Kvemo Svaneti',
    ),
    'samegrelo-zemo-svaneti': ('სამეგრელო-ზემო სვანეთი', 'Samegrelo-Zemo Svaneti'),
    'samtskhe-javakheti': ('სამცხე-ჯავახეთი', 'Samtskhe-Javakheti'),
    'kvemo-kartli': ('ქვემო ქართლი', 'Kvemo Kartli'),
    'shida-kartli': ('შიდა ქართლი', 'Shida Kartli'),
}


def region_code(value):
    """The region code for a code, or an English or Georgian region name; None if unknown."""
    if value is None:
        return None
    text = str(value).strip()
    if text.lower() in REGIONS:
        return text.lower()
    for code, names in REGIONS.items():
        if text in names or text.lower() == names[1].lower():
            return code
    return None


#: An organisation's contact people: accounts (usually participants) who see the
#: organisation's staff, their progress and certificates (lms.permissions).
organization_contacts = Table(
    'organization_contacts',
    db.metadata,
    Column('organization_id', ForeignKey('organizations.id', ondelete='CASCADE'), primary_key=True),
    Column('user_id', ForeignKey('users.id', ondelete='CASCADE'), primary_key=True, index=True),
)


class Organization(db.Model):
    __tablename__ = 'organizations'
    __table_args__ = (
        UniqueConstraint('kind', 'name_ka'),
        one_of('kind', ORGANIZATION_KINDS, 'kind'),
        one_of('region', tuple(REGIONS), 'region'),
        Index('ix_organizations_name_en', 'name_en'),
        trigram_index('ix_organizations_name_ka_trgm', 'name_ka'),
        trigram_index('ix_organizations_name_en_trgm', 'name_en'),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name_ka: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), index=True)
    #: A code of REGIONS; None for an organisation that works nationwide or abroad.
    region: Mapped[str | None] = mapped_column(String(40))

    #: Loaded when asked for (a permission check): people load their organisation with
    #: them on every request, and need none of its contact people.
    contacts = relationship('User', secondary=organization_contacts, order_by='User.full_name_ka')

    def name(self, locale):
        return self.name_en if locale == 'en' and self.name_en else self.name_ka

    def __repr__(self):
        return f'<Organization {self.id} {self.name_en}>'
