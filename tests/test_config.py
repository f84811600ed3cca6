"""Settings: API.md's environment variables, the instance folder, and production's demands.

These build apps with `Config` and `ProductionConfig`, which read the environment, so each
test starts from an environment without any of the academy's variables.
"""

import logging
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from flask import request, url_for

from config import Config, ProductionConfig, TestConfig, config_for_environment
from lms import create_app

ROOT = Path(__file__).resolve().parents[1]
VARIABLES = (
    'LMS_ENV',
    'SECRET_KEY',
    'DATABASE_URL',
    'TEST_DATABASE_URL',
    'ACADEMY_NAME_KA',
    'ACADEMY_NAME_EN',
    'PUBLIC_BASE_URL',
    'CERTIFICATE_KEY_DIR',
    'REDIS_URL',
    'RATELIMIT_ENABLED',
    'MAIL_URL',
    'PROXY_HOPS',
    'PUBLIC_CACHE_SECONDS',
    'VERIFY_RATE_LIMIT',
    'LOGIN_ACCOUNT_RATE_LIMIT',
    'CHECK_IN_CODE_RATE_LIMIT',
    'CHECK_IN_SESSION_RATE_LIMIT',
)


@pytest.fixture
def environ(monkeypatch):
    """os.environ without the academy's variables; set them with monkeypatch.setenv."""
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.fixture
def build(environ, tmp_path):
    """Build an app the way wsgi.py does, with its instance folder in tmp_path."""

    def _build(config_class=Config, **overrides):
        return create_app(config_class, instance_path=str(tmp_path / 'instance'), **overrides)

    return _build


STRONG_KEY = 'kQ7v2Xw9pL4mZ8rT1yB6nC3hF0sD5gJa'


def _production_environment(environ):
    """What production needs set: a strong secret key, the public address, real mail."""
    environ.setenv('SECRET_KEY', STRONG_KEY)
    environ.setenv('PUBLIC_BASE_URL', 'https://academy.example.ge')
    environ.setenv('MAIL_URL', 'smtp://mail.example.ge:587')


@pytest.mark.parametrize(
    ('key', 'why'),
    [
        ('shared-by-every-worker', 'too short'),
        ('a' * 40, 'one letter'),
        ('0123456789' * 4, 'repeated'),
        ('changeme-changeme-changeme-changeme!', 'a placeholder'),
    ],
)
def test_production_refuses_a_weak_secret_key(build, environ, key, why):
    _production_environment(environ)
    environ.setenv('SECRET_KEY', key)
    with pytest.raises(RuntimeError, match='SECRET_KEY is too weak'):
        build(ProductionConfig)


def test_production_refuses_to_start_without_its_address_or_with_console_mail(build, environ):
    environ.setenv('SECRET_KEY', STRONG_KEY)
    with pytest.raises(RuntimeError) as refused:
        build(ProductionConfig)
    message = str(refused.value)
    assert 'PUBLIC_BASE_URL is not set' in message and 'MAIL_URL is "console"' in message
    environ.setenv('PUBLIC_BASE_URL', 'https://academy.example.ge')
    environ.setenv('MAIL_URL', 'none')  # no e-mail at all is a choice production may make
    assert build(ProductionConfig).config['PUBLIC_BASE_URL'] == 'https://academy.example.ge'


def test_the_demo_academy_is_not_loaded_in_production(build, environ):
    _production_environment(environ)
    app = build(ProductionConfig)
    result = app.test_cli_runner().invoke(args=['demo', 'seed'])
    assert result.exit_code == 1
    assert 'not loaded in production' in result.output


def test_the_sqlite_file_is_created_readable_by_its_owner_only(build, tmp_path):
    path = tmp_path / 'private.sqlite'
    app = build(SQLALCHEMY_DATABASE_URI=f'sqlite:///{path}')
    assert not path.exists()  # made when first used, not before (offline checks need none)
    with app.app_context():
        from lms.extensions import db

        db.create_all()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_production_without_a_secret_key_refuses_to_start(build):
    with pytest.raises(RuntimeError, match=r'SECRET_KEY is not set.*export SECRET_KEY='):
        build(ProductionConfig)


def test_lms_env_production_demands_a_secret_key_even_with_the_default_settings(build, environ):
    environ.setenv('LMS_ENV', 'production')
    assert config_for_environment() is ProductionConfig
    with pytest.raises(RuntimeError, match='SECRET_KEY is not set'):
        build(Config)


def test_the_wsgi_entry_point_stops_in_production_without_a_secret_key(environ, tmp_path):
    env = {
        **os.environ,
        'LMS_ENV': 'production',
        'DATABASE_URL': f'sqlite:///{tmp_path / "db.sqlite"}',
        'CERTIFICATE_KEY_DIR': str(tmp_path / 'keys'),
    }
    result = subprocess.run(
        [sys.executable, '-c', 'import wsgi'], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert 'SECRET_KEY is not set' in result.stderr.strip().splitlines()[-1]


def test_production_takes_the_secret_key_from_the_environment(build, environ, tmp_path):
    _production_environment(environ)
    app = build(ProductionConfig)
    assert app.config['SECRET_KEY'] == STRONG_KEY
    assert app.config['SESSION_COOKIE_SECURE'] is True
    assert not (tmp_path / 'instance' / 'secret_key').exists()


def test_production_stays_production_whatever_lms_env_says(build, environ):
    environ.setenv('LMS_ENV', 'development')
    with pytest.raises(RuntimeError, match='SECRET_KEY is not set'):
        build(ProductionConfig)


def test_development_generates_a_secret_key_once_into_the_instance_folder(build, tmp_path):
    first = build()
    path = tmp_path / 'instance' / 'secret_key'
    assert path.read_text().strip() == first.config['SECRET_KEY']
    assert len(first.config['SECRET_KEY']) >= 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # only the owner may read it
    second = build()
    assert second.config['SECRET_KEY'] == first.config['SECRET_KEY']
    assert sorted(p.name for p in path.parent.iterdir() if 'secret' in p.name) == ['secret_key']


def test_an_empty_secret_key_file_stops_the_app_with_a_clear_message(build, tmp_path):
    (tmp_path / 'instance').mkdir()
    (tmp_path / 'instance' / 'secret_key').write_text('')
    with pytest.raises(RuntimeError, match='secret_key is empty: delete it'):
        build()


def test_without_variables_the_database_and_keys_live_in_the_instance_folder(build, tmp_path):
    app = build()
    instance = tmp_path / 'instance'
    assert app.instance_path == str(instance)
    assert app.config['SQLALCHEMY_DATABASE_URI'] == f'sqlite:///{instance / "academy.sqlite"}'
    assert app.config['CERTIFICATE_KEY_DIR'] == str(instance / 'keys')
    assert app.config['PUBLIC_BASE_URL'] == 'http://127.0.0.1:5000'
    assert app.config['ACADEMY_NAME_KA'] == 'მონაწილეობის აკადემია'
    assert app.config['ACADEMY_NAME_EN'] == 'Participation Academy'
    assert app.config['MAIL_URL'] == 'console'
    assert app.config['RATELIMIT_STORAGE_URI'] == 'memory://'
    assert app.config['RATELIMIT_ENABLED'] is True


def test_the_environment_is_read_when_the_app_is_built_not_at_import(build, environ, tmp_path):
    environ.setenv('DATABASE_URL', f'sqlite:///{tmp_path / "elsewhere.sqlite"}')
    environ.setenv('ACADEMY_NAME_EN', 'Civic Academy')
    environ.setenv('PUBLIC_BASE_URL', 'https://academy.example.ge/')
    environ.setenv('CERTIFICATE_KEY_DIR', str(tmp_path / 'signing'))
    environ.setenv('REDIS_URL', 'redis://cache.internal:6379/2')
    environ.setenv('RATELIMIT_ENABLED', 'false')
    environ.setenv('MAIL_URL', 'smtp://academy:secret@mail.internal:587')
    app = build()
    assert app.config['SQLALCHEMY_DATABASE_URI'] == f'sqlite:///{tmp_path / "elsewhere.sqlite"}'
    assert app.config['ACADEMY_NAME_EN'] == 'Civic Academy'
    assert app.config['PUBLIC_BASE_URL'] == 'https://academy.example.ge'
    assert app.config['CERTIFICATE_KEY_DIR'] == str(tmp_path / 'signing')
    assert app.config['RATELIMIT_STORAGE_URI'] == 'redis://cache.internal:6379/2'
    assert app.config['RATELIMIT_ENABLED'] is False
    assert app.config['MAIL_URL'] == 'smtp://academy:secret@mail.internal:587'


def test_overrides_win_over_the_environment(build, environ):
    environ.setenv('ACADEMY_NAME_KA', 'გარემოდან')
    assert build(ACADEMY_NAME_KA='არგუმენტიდან').config['ACADEMY_NAME_KA'] == 'არგუმენტიდან'


@pytest.mark.parametrize(
    ('variable', 'value', 'setting', 'expected'),
    [
        ('DATABASE_URL', 'postgresql+psycopg://u@db/academy', 'SQLALCHEMY_DATABASE_URI', None),
        ('SECRET_KEY', 's3cret', 'SECRET_KEY', None),
        ('ACADEMY_NAME_KA', 'სამოქალაქო აკადემია', 'ACADEMY_NAME_KA', None),
        ('ACADEMY_NAME_EN', 'Civic Academy', 'ACADEMY_NAME_EN', None),
        (
            'PUBLIC_BASE_URL',
            'https://academy.example.ge//',
            'PUBLIC_BASE_URL',
            'https://academy.example.ge',
        ),
        ('CERTIFICATE_KEY_DIR', '/srv/academy/keys', 'CERTIFICATE_KEY_DIR', None),
        ('REDIS_URL', 'redis://cache:6379/0', 'RATELIMIT_STORAGE_URI', None),
        ('MAIL_URL', 'smtp://u:p@mail:25', 'MAIL_URL', None),
        ('LMS_ENV', 'production', 'ENV_NAME', None),
        ('PROXY_HOPS', '2', 'PROXY_HOPS', 2),
        ('PUBLIC_CACHE_SECONDS', '45', 'PUBLIC_CACHE_SECONDS', 45),
        ('API_TOKEN_DAYS', '30', 'API_TOKEN_DAYS', 30),
        ('LOGIN_ACCOUNT_RATE_LIMIT', '5 per hour', 'LOGIN_ACCOUNT_RATE_LIMIT', None),
        ('VERIFY_RATE_LIMIT', '30 per minute', 'VERIFY_RATE_LIMIT', None),
        ('CHECK_IN_CODE_RATE_LIMIT', '3 per 10 minutes', 'CHECK_IN_CODE_RATE_LIMIT', None),
        ('CHECK_IN_SESSION_RATE_LIMIT', '50 per hour', 'CHECK_IN_SESSION_RATE_LIMIT', None),
    ],
)
def test_each_variable_of_api_md_sets_its_setting(variable, value, setting, expected):
    settings = Config.from_env({variable: value})
    if variable == 'REDIS_URL':  # also the job queue's (lms.jobs)
        assert settings.pop('REDIS_URL') == value
    assert settings == {setting: expected or value}


def test_the_check_in_code_limits_come_from_the_environment(build, environ):
    environ.setenv('CHECK_IN_CODE_RATE_LIMIT', ' 3 per 15 minutes ')
    environ.setenv('CHECK_IN_SESSION_RATE_LIMIT', '40 per 10 minutes;200 per day')
    config = build().config
    assert config['CHECK_IN_CODE_RATE_LIMIT'] == '3 per 15 minutes'
    assert config['CHECK_IN_SESSION_RATE_LIMIT'] == '40 per 10 minutes;200 per day'


def test_without_variables_the_check_in_code_limits_keep_their_defaults(build):
    config = build().config
    assert config['CHECK_IN_CODE_RATE_LIMIT'] == '5 per 10 minutes'
    assert config['CHECK_IN_SESSION_RATE_LIMIT'] == '100 per 10 minutes'


@pytest.mark.parametrize(
    'name',
    [
        'CHECK_IN_CODE_RATE_LIMIT',
        'CHECK_IN_SESSION_RATE_LIMIT',
        'LOGIN_ACCOUNT_RATE_LIMIT',
        'VERIFY_RATE_LIMIT',
    ],
)
@pytest.mark.parametrize('value', ['five a minute', '5 per fortnight', ' '])
def test_a_rate_limit_that_does_not_parse_stops_the_app(build, environ, name, value):
    environ.setenv(name, value)
    with pytest.raises(ValueError, match=f'{name} must be a rate limit such as'):
        build()


def test_public_pages_can_be_computed_on_every_visit():
    assert Config.from_env({'PUBLIC_CACHE_SECONDS': '0'}) == {'PUBLIC_CACHE_SECONDS': 0}
    with pytest.raises(ValueError, match='PUBLIC_CACHE_SECONDS must be a whole number'):
        Config.from_env({'PUBLIC_CACHE_SECONDS': 'half a minute'})


@pytest.mark.parametrize(
    ('value', 'enabled'),
    [
        ('false', False),
        ('False', False),
        ('0', False),
        ('off', False),
        ('no', False),
        ('true', True),
        ('1', True),
        ('on', True),
    ],
)
def test_ratelimit_enabled_false_turns_rate_limits_off(value, enabled):
    assert Config.from_env({'RATELIMIT_ENABLED': value}) == {'RATELIMIT_ENABLED': enabled}


def test_an_empty_variable_counts_as_unset():
    assert Config.from_env({'SECRET_KEY': '', 'DATABASE_URL': '', 'REDIS_URL': ''}) == {}


# The suite's database: only TEST_DATABASE_URL, and only one named for tests.


def test_the_suite_ignores_database_url_even_when_it_points_at_postgresql(build, environ):
    environ.setenv('DATABASE_URL', 'postgresql+psycopg://academy:secret@db.internal/academy')
    environ.setenv('SECRET_KEY', 'live')
    environ.setenv('RATELIMIT_ENABLED', 'true')
    environ.setenv('PUBLIC_BASE_URL', 'https://live.example.ge')
    app = build(TestConfig)
    assert app.config['SQLALCHEMY_DATABASE_URI'] == 'sqlite://'
    assert app.config['SECRET_KEY'] == TestConfig.SECRET_KEY
    assert app.config['RATELIMIT_ENABLED'] is False
    assert app.config['PUBLIC_BASE_URL'] == TestConfig.PUBLIC_BASE_URL


@pytest.mark.parametrize(
    'url',
    [
        'sqlite://',
        'sqlite:///:memory:',
        'sqlite:////tmp/academy_test.sqlite',
        'postgresql+psycopg://postgres@127.0.0.1:5432/lms_test_b',
        'postgresql+psycopg://ci:pw@db/TEST_academy?sslmode=disable',
    ],
)
def test_the_suite_takes_a_test_database_from_test_database_url(url):
    assert TestConfig.from_env({'TEST_DATABASE_URL': url}) == {'SQLALCHEMY_DATABASE_URI': url}


@pytest.mark.parametrize(
    ('url', 'name'),
    [
        ('postgresql+psycopg://postgres:Zx9-s3cr3t@127.0.0.1:5432/academy', "'academy'"),
        ('postgresql+psycopg://postgres:Zx9-s3cr3t@127.0.0.1:5432/', "''"),
        ('sqlite:////srv/academy/live.sqlite', "'live.sqlite'"),
        ('sqlite:////srv/tests/academy.sqlite', "'academy.sqlite'"),
    ],
)
def test_the_suite_refuses_a_database_whose_name_does_not_say_test(url, name):
    with pytest.raises(ValueError, match=f'names the database {name}') as refused:
        TestConfig.from_env({'TEST_DATABASE_URL': url})
    assert 'CREATE DATABASE lms_test' in str(refused.value)
    assert 's3cr3t' not in str(refused.value)


def test_the_suite_refuses_a_test_database_url_that_is_no_url():
    with pytest.raises(ValueError, match='TEST_DATABASE_URL is not a database URL'):
        TestConfig.from_env({'TEST_DATABASE_URL': 'lms_test'})


def test_pytest_stops_before_any_test_when_test_database_url_names_a_live_database(environ):
    env = {
        **os.environ,
        'TEST_DATABASE_URL': 'postgresql+psycopg://postgres@127.0.0.1:5432/academy',
    }
    result = subprocess.run(
        [sys.executable, '-m', 'pytest', '-p', 'no:cacheprovider', 'tests/test_smoke.py'],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == pytest.ExitCode.USAGE_ERROR
    assert "TEST_DATABASE_URL names the database 'academy'" in result.stderr
    assert 'passed' not in result.stdout


# PROXY_HOPS: whose address the rate limits count, and the scheme links are made with.


def test_without_proxies_the_app_trusts_no_forwarding_header(build):
    assert build().config['PROXY_HOPS'] == 0


@pytest.mark.parametrize('value', ['-1', 'one', '1.5', '²'])
def test_proxy_hops_must_be_a_whole_number(value):
    with pytest.raises(ValueError, match='PROXY_HOPS must be a whole number, 0 or more'):
        Config.from_env({'PROXY_HOPS': value})


def _log_in_from(client, address, proto=None):
    headers = {'X-Forwarded-For': address}
    if proto:
        headers['X-Forwarded-Proto'] = proto
    data = {'email': 'nobody@example.ge', 'password': 'a guess'}
    return client.post('/login', data=data, headers=headers).status_code


@pytest.mark.app_config(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT='2 per minute', PROXY_HOPS=0)
def test_without_proxies_a_forged_x_forwarded_for_does_not_escape_the_login_limit(client):
    assert [_log_in_from(client, f'198.51.100.{n}') for n in range(3)] == [422, 422, 429]


@pytest.mark.app_config(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT='2 per minute', PROXY_HOPS=1)
def test_behind_one_proxy_each_client_address_has_a_login_budget_of_its_own(client):
    first, second = '203.0.113.7', '198.51.100.9'
    assert [_log_in_from(client, first) for _ in range(3)] == [422, 422, 429]
    assert _log_in_from(client, second) == 422
    # What the client wrote before the proxy's own entry changes nothing.
    assert _log_in_from(client, f'192.0.2.1, {first}') == 429


def _links_page(app):
    app.add_url_rule(
        '/links', 'links', lambda: f'{request.remote_addr} {url_for("main.index", _external=True)}'
    )


@pytest.mark.app_config(PROXY_HOPS=1)
def test_behind_one_proxy_links_follow_the_scheme_and_address_it_forwards(app, client):
    _links_page(app)
    headers = {'X-Forwarded-For': '203.0.113.7', 'X-Forwarded-Proto': 'https'}
    assert client.get('/links', headers=headers).text == '203.0.113.7 https://localhost/'


@pytest.mark.app_config(PROXY_HOPS=0)
def test_without_proxies_forwarding_headers_change_no_link_and_no_address(app, client):
    _links_page(app)
    headers = {'X-Forwarded-For': '203.0.113.7', 'X-Forwarded-Proto': 'https'}
    assert client.get('/links', headers=headers).text == '127.0.0.1 http://localhost/'


def test_production_without_redis_warns_that_rate_limits_are_counted_per_worker(
    build, environ, caplog
):
    _production_environment(environ)
    build(ProductionConfig)
    (warning,) = [r for r in caplog.records if 'REDIS_URL' in r.getMessage()]
    assert warning.levelno == logging.WARNING
    assert 'counted per worker' in warning.getMessage()


@pytest.mark.parametrize(
    ('variable', 'value'), [('REDIS_URL', 'redis://cache:6379/0'), ('RATELIMIT_ENABLED', 'false')]
)
def test_production_with_shared_or_no_rate_limits_does_not_warn(
    build, environ, caplog, variable, value
):
    _production_environment(environ)
    environ.setenv(variable, value)
    build(ProductionConfig)
    assert not [r for r in caplog.records if 'REDIS_URL' in r.getMessage()]


def test_development_does_not_warn_about_rate_limits_in_memory(build, caplog):
    build()
    assert not [r for r in caplog.records if 'REDIS_URL' in r.getMessage()]
