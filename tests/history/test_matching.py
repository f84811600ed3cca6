"""Who and what the lines are: people by e-mail, else by Georgian name and organisation;
municipalities by the reference list; organisations by name; courses by code."""

from sqlalchemy import select

from lms.history.service import import_history
from lms.models import Course, Enrollment, Offering, Organization, User
from lms.organizations.service import load_municipalities
from tests.history.files import csv_bytes, row


def run(db, rows, **kwargs):
    counts = import_history(csv_bytes(rows), 'history.csv', actor=None, dry_run=False, **kwargs)
    db.session.commit()
    return counts


def test_a_person_is_the_same_across_lines_by_email_whatever_its_case(db):
    counts = run(
        db,
        [
            row(full_name_ka='ნინო ბერიძე', email='Nino@Example.ge'),
            row(starts_on='2018-01-10', ends_on='2018-01-11', full_name_ka='ნინო ბერიძე-კაპანაძე',
                email='nino@example.GE'),
        ],
    )  # fmt: skip

    assert (counts.people, counts.enrollments, counts.offerings) == (1, 2, 2)
    user = db.session.scalar(select(User))
    assert user.full_name_ka == 'ნინო ბერიძე'  # the first line names a new person


def test_an_existing_account_is_matched_by_email_and_left_as_it_is(db, create_user):
    user = create_user(email='nino@example.ge', full_name_ka='ნინო ბერიძე', sector='cso')
    db.session.commit()

    counts = run(db, [row(full_name_ka='ნ. ბერიძე', email='NINO@example.ge', sector='citizen')])

    assert (counts.people, counts.enrollments) == (0, 1)
    db.session.refresh(user)
    assert (user.full_name_ka, user.sector) == ('ნინო ბერიძე', 'cso')
    enrollment = db.session.scalar(select(Enrollment))
    assert (enrollment.user_id, enrollment.sector) == (user.id, 'citizen')


def test_without_email_a_person_is_the_same_by_name_and_organisation(db):
    counts = run(
        db,
        [
            row(full_name_ka='გიორგი მაისურაძე', organization='მწვანე ალტერნატივა'),
            row(starts_on='2018-01-10', ends_on='2018-01-11', full_name_ka='გიორგი მაისურაძე',
                organization='მწვანე ალტერნატივა'),
            # the same name elsewhere is someone else
            row(full_name_ka='გიორგი მაისურაძე', organization='ქუთაისი'),
            # the line with an e-mail names the person the other lines mean
            row(starts_on='2019-01-10', ends_on='2019-01-11', full_name_ka='გიორგი მაისურაძე',
                organization='მწვანე ალტერნატივა', email='giorgi@example.ge'),
        ],
    )  # fmt: skip

    assert (counts.people, counts.enrollments) == (2, 4)
    emails = set(db.session.scalars(select(User.email)))
    assert 'giorgi@example.ge' in emails
    (other,) = emails - {'giorgi@example.ge'}
    assert other.startswith('archive-') and other.endswith('@archive.invalid')


def test_without_email_an_existing_person_is_matched_by_name_and_organisation(
    db, create_user, create_organization
):
    organization = create_organization(name_ka='მწვანე ალტერნატივა', kind='cso')
    user = create_user(full_name_ka='გიორგი მაისურაძე', organization=organization)
    db.session.commit()

    counts = run(db, [row(full_name_ka='გიორგი მაისურაძე', organization='მწვანე ალტერნატივა')])

    assert (counts.people, counts.enrollments) == (0, 1)
    assert db.session.scalar(select(Enrollment.user_id)) == user.id


def test_municipalities_are_matched_to_the_reference_list(db):
    load_municipalities()
    db.session.commit()
    zugdidi = db.session.scalar(select(Organization).where(Organization.name_ka == 'ზუგდიდი'))

    counts = run(
        db,
        [
            row(municipality='ზუგდიდი', full_name_ka='ა'),
            row(municipality=' ზუგდიდის   მუნიციპალიტეტი ', full_name_ka='ბ'),
            row(municipality='ზუგდიდი მუნიციპალიტეტი', full_name_ka='გ', organization='ზუგდიდი'),
            row(municipality='', full_name_ka='დ'),
        ],
    )

    assert counts.offerings == 2  # Zugdidi three times, and one online
    hosts = sorted((o.format, o.municipality_id) for o in db.session.scalars(select(Offering)))
    assert hosts == [('in_person', zugdidi.id), ('online', None)]
    employer = db.session.scalar(select(User).where(User.full_name_ka == 'გ')).organization
    assert employer.id == zugdidi.id
    # the 64 are not added again, nor another Zugdidi of another kind
    assert db.session.query(Organization).filter_by(name_ka='ზუგდიდი').count() == 1


def test_the_reference_municipalities_are_added_when_the_database_lacks_them(db):
    counts = run(db, [row(municipality='ბათუმი', full_name_ka='ა')])

    assert counts.offerings == 1
    offering = db.session.scalar(select(Offering))
    assert (offering.municipality.name_ka, offering.municipality.kind) == ('ბათუმი', 'municipality')
    assert offering.municipality.region == 'adjara'


def test_an_unknown_organisation_is_created_as_other_and_a_known_one_matched(
    db, create_organization
):
    known = create_organization(name_ka='სამოქალაქო განვითარების ცენტრი', name_en='Civic Centre')
    db.session.commit()

    run(
        db,
        [
            row(full_name_ka='ა', organization='civic centre'),
            row(full_name_ka='ბ', organization='ახალგაზრდა მოქალაქეთა ასოციაცია'),
            row(full_name_ka='გ', organization='ახალგაზრდა მოქალაქეთა ასოციაცია'),
        ],
    )

    people = {u.full_name_ka: u.organization for u in db.session.scalars(select(User))}
    assert people['ა'].id == known.id
    assert people['ბ'].id == people['გ'].id
    assert (people['ბ'].kind, people['ბ'].name_en) == (
        'other',
        'Akhalgazrda Mokalaketa Asotsiatsia',
    )


def test_a_course_is_matched_by_code_and_an_offering_by_course_dates_and_host(db, create_course):
    course = create_course(code='CB-101', kind='training', title_ka='ძველი სათაური')
    db.session.commit()

    counts = run(db, [row(course_code='cb-101', full_name_ka='ა'), row(full_name_ka='ბ')])

    assert counts.offerings == 1
    assert db.session.scalars(select(Course)).all() == [course]
    assert db.session.scalar(select(Offering.course_id)) == course.id
