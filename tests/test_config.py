"""Settings: API.md's environment variables, the instance folder, and production's demands.

These build apps with `Config` and `ProductionConfig`, which read the environment, so each
test starts from an environment without any of the academy's variables.
"""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

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


def test_production_without_a_secret_key_refuses_to_start(build):
    with pytest.raises(RuntimeError, match='SECRET_KEY is not set.*export SECRET_KEY='):
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
    environ.setenv('SECRET_KEY', 'shared-by-every-worker')
    app = build(ProductionConfig)
    assert app.config['SECRET_KEY'] == 'shared-by-every-worker'
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
    ],
)
def test_each_variable_of_api_md_sets_its_setting(variable, value, setting, expected):
    assert Config.from_env({variable: value}) == {setting: expected or value}


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


def test_tests_take_only_a_postgresql_database_from_the_environment():
    environ = {
        'DATABASE_URL': 'sqlite:////srv/academy/live.sqlite',
        'SECRET_KEY': 'live',
        'RATELIMIT_ENABLED': 'true',
        'PUBLIC_BASE_URL': 'https://live.example.ge',
    }
    assert TestConfig.from_env(environ) == {}
    postgresql = 'postgresql+psycopg://postgres@127.0.0.1/lms_test'
    assert TestConfig.from_env({'DATABASE_URL': postgresql}) == {
        'SQLALCHEMY_DATABASE_URI': postgresql
    }
    assert TestConfig.from_env({'DATABASE_URL': postgresql, 'TEST_DATABASE_URL': 'sqlite://'}) == {
        'SQLALCHEMY_DATABASE_URI': 'sqlite://'
    }
