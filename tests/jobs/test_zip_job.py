"""The ZIP of an offering's certificates is written by a job to a file, then downloaded."""

import hashlib
import io
import os
import re
import time
import zipfile

import pytest
from sqlalchemy import select

from certificates import Certificate
from lms.awarding.service import issue_for_offering
from lms.jobs import exports
from lms.models import Job
from tests.jobs.test_issue_job import forum  # noqa: F401  (the fixture)


@pytest.fixture
def issued(db, forum):  # noqa: F811
    trainer, offering, enrollments = forum
    issue_for_offering(offering, actor=trainer)
    db.session.commit()
    return trainer, offering


def _zip_job(client, login, user, offering):
    login(user)
    response = client.post(f'/certificates/offerings/{offering.id}/certificates.zip')
    assert response.status_code == 302
    return response.location


def test_the_zip_holds_every_certificate_as_issued(client, login, db, issued, app):
    trainer, offering = issued
    url = _zip_job(client, login, trainer, offering)
    job = db.session.get(Job, int(url.rsplit('/', 1)[1]))
    assert (job.kind, job.status, job.done, job.total) == ('certificates_zip', 'done', 5, 5)
    # Written under the exports folder, named by the job with a random part.
    assert re.fullmatch(rf'{job.id}-[\w-]{{16}}\.zip', job.result['file'])
    assert os.path.dirname(exports.path_of(job.result['file'])) == app.config['EXPORTS_DIR']
    client.get('/language/en')
    page = client.get(url).text
    assert f'/jobs/{job.id}/download' in page and 'Download the ZIP (5 certificates)' in page
    with client.get(f'/jobs/{job.id}/download') as response:
        assert response.status_code == 200 and response.mimetype == 'application/zip'
        assert (
            f'certificates-{offering.course.code}-2026-03-02.zip'
            in (response.headers['Content-Disposition'])
        )
        archive = zipfile.ZipFile(io.BytesIO(response.data))
    hashes = {
        f'{c.formatted_serial}.pdf': c.pdf_sha256
        for c in db.session.scalars(select(Certificate).where(Certificate.status == 'valid'))
    }
    assert len(hashes) == 5
    assert {
        name: hashlib.sha256(archive.read(name)).hexdigest() for name in archive.namelist()
    } == hashes
    assert {i.compress_type for i in archive.infolist()} == {zipfile.ZIP_STORED}


def test_the_file_is_for_the_owner_admins_and_the_offerings_trainers(
    client, login, db, issued, create_user
):
    trainer, offering = issued
    colleague = create_user(role='trainer')
    offering.trainers.append(colleague)
    db.session.commit()
    url = _zip_job(client, login, trainer, offering)
    download = url + '/download'
    for allowed in (trainer, colleague, create_user(role='admin')):
        login(allowed)
        with client.get(download) as response:
            assert response.status_code == 200
    for refused in (create_user(), create_user(role='trainer')):
        login(refused)
        assert client.get(download).status_code == 403
    # The colleague may download what the job wrote, but its page is its owner's.
    login(colleague)
    assert client.get(url).status_code == 403


def test_old_files_are_removed_and_the_page_says_so(client, login, db, issued, app):
    trainer, offering = issued
    url = _zip_job(client, login, trainer, offering)
    job = db.session.get(Job, int(url.rsplit('/', 1)[1]))
    path = exports.path_of(job.result['file'])
    assert exports.remove_old() == 0  # fresh: kept
    assert os.path.exists(path)
    assert exports.remove_old(now=time.time() + 25 * 3600) == 1
    assert not os.path.exists(path)
    client.get('/language/en')
    assert 'removed after 24 hours' in client.get(url).text
    assert client.get(url + '/download').status_code == 404


def test_a_name_from_outside_the_folder_is_never_served(app):
    with app.app_context():
        assert exports.path_of('../secret_key') is None
        assert exports.path_of('.hidden') is None
        assert exports.path_of('') is None
