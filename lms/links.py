"""Addresses outside any request: links in e-mail and jobs, under PUBLIC_BASE_URL."""

from flask import current_app


def public_url(endpoint, **values):
    """The full address of `endpoint` as people reach it (PUBLIC_BASE_URL + its path).

    Works in a worker, where there is no request to take a host from.
    """
    adapter = current_app.url_map.bind('localhost', url_scheme='https')
    path = adapter.build(endpoint, values, force_external=False)
    return current_app.config['PUBLIC_BASE_URL'].rstrip('/') + path
