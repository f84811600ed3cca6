from sqlalchemy import select

from lms.models import Organization
from lms.search import contains


def test_search_ignores_case_and_takes_wildcards_literally(db, create_organization):
    create_organization(name_ka='ფონდი 100%', name_en='Fund 100%')
    create_organization(name_ka='ფონდი 1000', name_en='Fund 1000')
    create_organization(name_ka='ა_ბ', name_en='a_b')
    create_organization(name_ka='აxბ', name_en='axb')

    def names(query):
        stmt = select(Organization.name_en).where(
            contains(query, Organization.name_ka, Organization.name_en)
        )
        return sorted(db.session.scalars(stmt))

    assert names('FUND 100%') == ['Fund 100%']
    assert names('a_b') == ['a_b']
    assert names('ფონდი') == ['Fund 100%', 'Fund 1000']
