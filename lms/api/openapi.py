"""/api/v1/openapi.json: the description of every API endpoint, from openapi.yaml."""

from functools import cache
from pathlib import Path

import yaml
from flask import jsonify

from lms.api.base import bp

SPEC_PATH = Path(__file__).with_name('openapi.yaml')


@cache
def load_spec():
    return yaml.safe_load(SPEC_PATH.read_text(encoding='utf-8'))


@bp.get('/openapi.json')
def openapi():
    return jsonify(load_spec())
