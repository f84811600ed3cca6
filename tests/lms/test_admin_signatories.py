import io

from PIL import Image
from sqlalchemy import select

from lms.models import AuditEntry, Signatory


def _png():
    buffer = io.BytesIO()
    Image.new('RGBA', (60, 20), (0, 0, 0, 0)).save(buffer, 'PNG')
    return buffer.getvalue()


def test_an_admin_adds_an_academy_signatory_with_a_signature(client, login, db, create_user):
    login(create_user(role='admin'))
    response = client.post(
        '/admin/signatories/new',
        data={
            'course_id': '',
            'name_ka': 'თამარ ბერიძე',
            'name_en': 'Tamar Beridze',
            'title_ka': 'დირექტორი',
            'title_en': 'Director',
            'position': '0',
            'signature': (io.BytesIO(_png()), 'signature.png'),
        },
        content_type='multipart/form-data',
    )
    assert response.status_code == 302
    signatory = db.session.scalar(select(Signatory))
    assert (signatory.course_id, signatory.name_ka) == (None, 'თამარ ბერიძე')
    assert signatory.signature_png.startswith(b'\x89PNG')
    assert 'თამარ ბერიძე' in client.get('/admin/signatories').text
    assert db.session.scalar(select(AuditEntry.action)) == 'signatory.created'


def test_a_signature_that_is_not_a_png_is_refused_and_nothing_saved(client, login, db, create_user):
    login(create_user(role='admin'))
    response = client.post(
        '/admin/signatories/new',
        data={'name_ka': 'ა', 'name_en': 'A', 'signature': (io.BytesIO(b'GIF89a...'), 'x.gif')},
        content_type='multipart/form-data',
    )
    assert response.status_code == 422
    assert 'is-invalid' in response.text
    assert db.session.scalar(select(Signatory.id)) is None


def test_a_signatory_can_be_removed(client, login, db, create_user, create_course):
    login(create_user(role='admin'))
    signatory = Signatory(course=create_course(), name_ka='ა', name_en='A')
    db.session.add(signatory)
    db.session.commit()
    assert client.post(f'/admin/signatories/{signatory.id}/delete').status_code == 302
    assert db.session.scalar(select(Signatory.id)) is None


def test_trainers_cannot_manage_signatories(client, login, create_user):
    login(create_user(role='trainer'))
    assert client.get('/admin/signatories').status_code == 403
