"""The session cookie, as Flask signs it, with the signer built once per key.

Flask builds a new itsdangerous serializer for every request, and building one signs a
sample to learn its output type: a fifth of a public verification request. The keys do
not change while the app runs, so the serializer is kept per set of keys.

Logging in, and how sessions end: lms/auth/login.py.
"""

from flask.sessions import SecureCookieSessionInterface


class SessionInterface(SecureCookieSessionInterface):
    def __init__(self):
        self._serializers = {}

    def get_signing_serializer(self, app):
        keys = (app.secret_key, tuple(app.config['SECRET_KEY_FALLBACKS'] or ()))
        serializer = self._serializers.get(keys)
        if serializer is None:
            serializer = super().get_signing_serializer(app)
            self._serializers = {keys: serializer}
        return serializer
