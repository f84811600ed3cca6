"""The admins' page: upload, the dry run, confirm, and the import runs as a job."""

import io
import os
import re

import pytest
from sqlalchemy import func, select

from lms.models import Enrollment, Job, Offering
from tests.history.files import csv_bytes, row, xlsx_bytes


def csrf_token(html):
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def hidden(html, name):
    return re.search(rf'name="{name}" type="hidden" value="([^"]*)"', html).group(1)


def upload(client, token, data, filename='history.csv'):
    return client.post(
        '/admin/history',
        data={'csrf_token': token, 'file': (io.BytesIO(data), filename)},
        content_type='multipart/form-data',
    )


@pytest.fixture
def admin_page(client, login, create_user):
    login(create_user(role='admin'))
    page = client.get('/admin/history')
    assert page.status_code == 200
    return csrf_token(page.get_data(as_text=True))


def enrollments(db):
    return db.session.scalar(select(func.count()).select_from(Enrollment))


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_a_bad_file_lists_every_bad_line_and_saves_nothing(client, db, admin_page):
    data = csv_bytes([row(full_name_ka='ა'), row(full_name_ka='ბ', kind='x'), row(outcome='y')])

    response = upload(client, admin_page, data)

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert re.findall(r'<tr><td>(\d+)</td>', html) == ['3', '4']
    assert 'Import these lines' not in html and 'ამ სტრიქონების იმპორტი' not in html
    assert enrollments(db) == 0


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
@pytest.mark.parametrize('filename', ['history.csv', 'history.xlsx'])
def test_check_then_confirm_runs_the_import_as_a_job(client, db, app, admin_page, filename):
    rows = [row(full_name_ka='ნინო', outcome='completed', certificate_number='N-1'),
            row(full_name_ka='გიორგი')]  # fmt: skip
    data = xlsx_bytes(rows) if filename.endswith('.xlsx') else csv_bytes(rows)

    checked = upload(client, admin_page, data, filename)

    assert checked.status_code == 200
    html = checked.get_data(as_text=True)
    assert enrollments(db) == 0  # the dry run saved nothing
    name = hidden(html, 'upload')
    kept = os.path.join(app.instance_path, 'history-imports', name)
    assert os.path.isfile(kept)

    refused = client.post('/admin/history/import', data={'upload': name})
    assert refused.status_code == 400  # no CSRF token
    assert enrollments(db) == 0

    started = client.post(
        '/admin/history/import',
        data={'csrf_token': csrf_token(html), 'upload': name, 'filename': filename},
    )

    assert started.status_code == 302
    job = db.session.scalar(select(Job))
    assert started.headers['Location'].endswith(f'/jobs/{job.id}')
    db.session.refresh(job)
    assert (job.kind, job.status, job.done, job.total) == ('history_import', 'done', 2, 2)
    assert job.result == {'lines': 2, 'offerings': 1, 'people': 2, 'enrollments': 2,
                          'certificates': 1}  # fmt: skip
    assert enrollments(db) == 2
    assert not os.path.exists(kept)  # kept until done
    page = client.get(started.headers['Location'])
    assert page.status_code == 200

    again = upload(client, csrf_token(page.get_data(as_text=True)), data, filename)
    assert again.status_code == 200
    assert db.session.scalar(select(func.count()).select_from(Offering)) == 1


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_a_file_larger_than_other_bodies_is_taken_on_this_page(client, db, admin_page):
    rows = [row(full_name_ka=f'მონაწილე {i}', email=f'p{i}@example.ge') for i in range(6000)]
    data = csv_bytes(rows)
    assert len(data) > 1024 * 1024  # MAX_CONTENT_LENGTH elsewhere

    # Encoded here: the test client spools a body this large to a file it never closes.
    boundary = 'history-boundary'
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n'
            f'{admin_page}\r\n--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="history.csv"\r\nContent-Type: text/csv\r\n\r\n'
        ).encode()
        + data
        + f'\r\n--{boundary}--\r\n'.encode()
    )
    response = client.post(
        '/admin/history',
        data=body,
        content_type=f'multipart/form-data; boundary={boundary}',
    )

    assert response.status_code == 200, response.status_code
    assert '6000' in response.get_data(as_text=True)


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_a_confirmation_naming_no_kept_file_starts_nothing(client, db, admin_page):
    response = client.post(
        '/admin/history/import', data={'csrf_token': admin_page, 'upload': '../../secret_key'}
    )

    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(Job)) == 0


def test_the_page_is_for_admins_only(client, login, create_user):
    login(create_user(role='trainer'))
    assert client.get('/admin/history').status_code == 403


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_a_file_that_went_bad_after_its_check_fails_the_job_and_saves_nothing(
    client, db, app, admin_page, create_course
):
    checked = upload(client, admin_page, csv_bytes([row(full_name_ka='ნინო')]))
    html = checked.get_data(as_text=True)
    name = hidden(html, 'upload')
    create_course(code='CB-101', kind='forum')  # meanwhile, someone else's course
    db.session.commit()

    started = client.post(
        '/admin/history/import', data={'csrf_token': csrf_token(html), 'upload': name}
    )

    job = db.session.scalar(select(Job))
    db.session.refresh(job)
    assert job.status == 'failed'
    assert 'line 2: kind' in job.error
    assert enrollments(db) == 0
    assert os.path.isfile(os.path.join(app.instance_path, 'history-imports', name))  # for a retry
    page = client.get(started.headers['Location'])
    assert 'line 2: kind' in page.get_data(as_text=True)
