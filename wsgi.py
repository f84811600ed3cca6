"""Entry point for gunicorn (``gunicorn wsgi:app``) and ``flask --app wsgi``."""

from config import config_for_environment
from lms import create_app

app = create_app(config_for_environment())
