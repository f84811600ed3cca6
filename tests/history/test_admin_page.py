"""The admins' page: upload, the dry run as a job with its page, confirm, and the import
runs as a job."""

import io
import os
import re

import pytest
from sqlalchemy import func, select

import lms.history.jobs
from lms import jobs
from lms.history.jobs import IMPORT, import_job
from lms.jobs import progress
from lms.models import Enrollment, Job, Offering
from tests.history.files import csv_bytes, row, xlsx_bytes


def csrf_token(html):
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def hidden(html, name):
    return re.search(rf'name="{name}" value="([^"]*)"', html).group(1)


def upload(client, token, data, filename='history.csv'):
    return client.post(
        '/admin/history',
        data={'csrf_token': token, 'file': (io.BytesIO(data), filename)},
        content_type='multipart/form-data',
    )


def job_of(db, response):
    """The job a response redirected to (its page), as the database holds it now."""
    assert response.status_code == 303, response.status_code
    job_id = int(re.search(r'/jobs/(\d+)$', response.headers['Location']).group(1))
    job = db.session.get(Job, job_id)
    db.session.refresh(job)
    return job


def kept_file(app, job):
    return os.path.join(app.instance_path, 'history-imports', job.params['file'])


@pytest.fixture
def admin_page(client, login, create_user):
    login(create_user(role='admin'))
    page = client.get('/admin/history')
    assert page.status_code == 200
    return csrf_token(page.get_data(as_text=True))


def enrollments(db):
    return db.session.scalar(select(func.count()).select_from(Enrollment))


def jobs_count(db):
    return db.session.scalar(select(func.count()).select_from(Job))


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_the_check_runs_as_a_job_not_in_the_request(client, db, app, admin_page, monkeypatch):
    read = []
    real = lms.history.jobs.import_history
    monkeypatch.setattr(
        lms.history.jobs, 'import_history', lambda *a, **k: read.append(k) or real(*a, **k)
    )
    run_deferred = jobs.run_deferred
    monkeypatch.setattr(jobs, 'run_deferred', lambda: None)  # no worker yet
    data = csv_bytes([row(full_name_ka='ნინო'), row(full_name_ka='გიორგი', kind='x')])

    response = upload(client, admin_page, data)

    job = job_of(db, response)  # the answer is the job's page
    assert (job.kind, job.status, job.result) == ('history_check', 'queued', None)
    assert read == []  # not one line was read in the request
    assert os.path.isfile(kept_file(app, job))
    waiting = client.get(response.headers['Location']).get_data(as_text=True)
    assert '<meta http-equiv="refresh"' in waiting and 'data-refresh' in waiting

    run_deferred()  # a worker takes it

    db.session.refresh(job)
    assert [k['dry_run'] for k in read] == [True]
    assert (job.status, job.done, job.total) == ('done', 2, 2)
    assert [(p['index'], list(p['errors'])) for p in job.result['problems']] == [(3, ['kind'])]
    assert not os.path.exists(kept_file(app, job))  # it can never be imported
    done = client.get(response.headers['Location']).get_data(as_text=True)
    assert 'http-equiv="refresh"' not in done and 'data-refresh' not in done
    assert re.findall(r'<tr><td>(\d+)</td>', done) == ['3']


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_a_bad_file_lists_every_bad_line_and_saves_nothing(client, db, admin_page):
    data = csv_bytes([row(full_name_ka='ა'), row(full_name_ka='ბ', kind='x'), row(outcome='y')])

    response = upload(client, admin_page, data)

    job = job_of(db, response)
    assert (job.kind, job.status) == ('history_check', 'done')
    page = client.get(response.headers['Location'])
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert re.findall(r'<tr><td>(\d+)</td>', html) == ['3', '4']
    assert 'alert-danger' in html and job.result['summary'] in html
    assert re.findall(r'\d+', job.result['summary']) == ['3', '2']  # 2 of 3 lines, in Georgian
    assert 'Import these lines' not in html and 'ამ სტრიქონების იმპორტი' not in html
    assert enrollments(db) == 0
    crumbs = html[html.index('class="breadcrumb"') : html.index('</ol>')]
    assert 'href="/admin/history"' in crumbs  # back to the page the file came from


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_an_unreadable_file_says_so_on_the_jobs_page(client, db, admin_page):
    response = upload(client, admin_page, b'PK\x03\x04 not a workbook', 'history.xlsx')

    job = job_of(db, response)
    assert job.status == 'done' and set(job.result) == {'file_error'}
    html = client.get(response.headers['Location']).get_data(as_text=True)
    assert job.result['file_error'] in html
    assert 'name="check"' not in html


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_an_empty_upload_is_refused_on_the_page(client, db, admin_page):
    response = upload(client, admin_page, b'')

    assert response.status_code == 422
    assert jobs_count(db) == 0


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
@pytest.mark.parametrize('filename', ['history.csv', 'history.xlsx'])
def test_check_then_confirm_runs_the_import_as_a_job(client, db, app, admin_page, filename):
    rows = [row(full_name_ka='ნინო', outcome='completed', certificate_number='N-1'),
            row(full_name_ka='გიორგი')]  # fmt: skip
    data = xlsx_bytes(rows) if filename.endswith('.xlsx') else csv_bytes(rows)

    checked = upload(client, admin_page, data, filename)

    check = job_of(db, checked)
    assert enrollments(db) == 0  # the dry run saved nothing
    assert (check.kind, check.status, check.done, check.total) == ('history_check', 'done', 2, 2)
    assert check.result == {'lines': 2, 'offerings': 1, 'people': 2, 'enrollments': 2,
                            'certificates': 1, 'sha256': lms.history.jobs.digest(data)}  # fmt: skip
    kept = kept_file(app, check)
    assert os.path.isfile(kept)
    html = client.get(checked.headers['Location']).get_data(as_text=True)
    said = re.search(r'alert-success">\s*<p[^>]*>(.*?)</p>', html, re.S).group(1)
    assert [int(n) for n in re.findall(r'\d+', said)] == [2, 1, 2, 2, 1]
    assert filename in said
    assert hidden(html, 'check') == str(check.id)

    refused = client.post('/admin/history/import', data={'check': str(check.id)})
    assert refused.status_code == 400  # no CSRF token
    assert enrollments(db) == 0

    started = client.post(
        '/admin/history/import', data={'csrf_token': csrf_token(html), 'check': str(check.id)}
    )

    job = job_of(db, started)
    assert (job.kind, job.status, job.done, job.total) == ('history_import', 'done', 2, 2)
    assert job.params['sha256'] == check.result['sha256']
    assert job.result == {'lines': 2, 'offerings': 1, 'people': 2, 'enrollments': 2,
                          'certificates': 1}  # fmt: skip
    assert enrollments(db) == 2
    assert not os.path.exists(kept)  # kept until done
    page = client.get(started.headers['Location'])
    assert page.status_code == 200

    twice = client.post(
        '/admin/history/import', data={'csrf_token': csrf_token(html), 'check': str(check.id)}
    )
    assert twice.status_code == 422  # imported, and its file gone
    again = job_of(db, upload(client, csrf_token(page.get_data(as_text=True)), data, filename))
    assert again.result['offerings'] == 0  # the same file again would change nothing
    assert db.session.scalar(select(func.count()).select_from(Offering)) == 1


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_a_file_changed_or_removed_after_its_check_is_not_imported(client, db, app, admin_page):
    data = csv_bytes([row(full_name_ka='ნინო'), row(full_name_ka='გიორგი')])
    check = job_of(db, upload(client, admin_page, data))
    kept = kept_file(app, check)
    confirm = {'csrf_token': admin_page, 'check': str(check.id)}

    with open(kept, 'wb') as fh:  # one line fewer
        fh.write(csv_bytes([row(full_name_ka='ნინო')]))
    changed = client.post('/admin/history/import', data=confirm)

    assert changed.status_code == 422
    assert 'ფაილი შემოწმების შემდეგ შეიცვალა' in changed.get_data(as_text=True)
    os.unlink(kept)
    removed = client.post('/admin/history/import', data=confirm)
    assert removed.status_code == 422
    assert 'შემოწმებული ფაილი აღარ არის' in removed.get_data(as_text=True)
    assert jobs_count(db) == 1 and enrollments(db) == 0  # the check alone


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_the_import_job_refuses_a_file_that_is_not_the_one_confirmed(client, db, app, admin_page):
    check = job_of(db, upload(client, admin_page, csv_bytes([row(full_name_ka='ნინო')])))

    job = progress.start(IMPORT, import_job, actor=None, file=check.params['file'], sha256='0' * 64)
    db.session.commit()
    jobs.run_deferred()

    db.session.refresh(job)
    assert job.status == 'failed' and 'ფაილი შემოწმების შემდეგ შეიცვალა' in job.error
    assert enrollments(db) == 0


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
@pytest.mark.parametrize('check', ['../../secret_key', '99999', '99999999999999999999', '²'])
def test_a_confirmation_naming_no_good_check_starts_nothing(client, db, admin_page, check):
    response = client.post('/admin/history/import', data={'csrf_token': admin_page, 'check': check})

    assert response.status_code == 422
    assert jobs_count(db) == 0


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_a_check_with_problems_cannot_be_confirmed(client, db, admin_page):
    check = job_of(db, upload(client, admin_page, csv_bytes([row(kind='x')])))

    response = client.post(
        '/admin/history/import', data={'csrf_token': admin_page, 'check': str(check.id)}
    )

    assert response.status_code == 422
    assert jobs_count(db) == 1 and enrollments(db) == 0


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

    job = job_of(db, response)
    assert (job.status, job.total, job.result['lines']) == ('done', 6000, 6000)


def test_the_page_is_for_admins_only(client, login, create_user):
    login(create_user(role='trainer'))
    assert client.get('/admin/history').status_code == 403


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_a_file_that_went_bad_after_its_check_fails_the_job_and_saves_nothing(
    client, db, app, admin_page, create_course
):
    check = job_of(db, upload(client, admin_page, csv_bytes([row(full_name_ka='ნინო')])))
    create_course(code='CB-101', kind='forum')  # meanwhile, someone else's course
    db.session.commit()

    started = client.post(
        '/admin/history/import', data={'csrf_token': admin_page, 'check': str(check.id)}
    )

    job = job_of(db, started)
    assert job.status == 'failed'
    assert 'line 2: kind' in job.error
    assert enrollments(db) == 0
    assert os.path.isfile(kept_file(app, check))  # for a retry
    page = client.get(started.headers['Location'])
    assert 'line 2: kind' in page.get_data(as_text=True)
