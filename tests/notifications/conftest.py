"""A real SMTP server on localhost (aiosmtpd) that records what it receives."""

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller


class Inbox:
    """What the server received: (recipients, EmailMessage) per message, and the bytes."""

    def __init__(self):
        self.messages = []
        self.raw = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd calls it by this name
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((envelope.rcpt_tos, message))
        self.raw.append(envelope.content)
        return '250 Message accepted for delivery'


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


class Server:
    """The SMTP server on one port, which can go away and come back."""

    def __init__(self, inbox, port):
        self.inbox, self.port, self._controller = inbox, port, None

    def start(self):
        self._controller = Controller(self.inbox, hostname='127.0.0.1', port=self.port)
        self._controller.start()

    def stop(self):
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


@pytest.fixture
def smtp_server(app):
    """Start the server; the app's MAIL_URL points at it. Yields (inbox, server)."""
    server = Server(Inbox(), free_port())
    server.start()
    app.config['MAIL_URL'] = f'smtp://127.0.0.1:{server.port}'
    try:
        yield server.inbox, server
    finally:
        server.stop()
