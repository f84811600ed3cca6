from lms.sessions import SessionInterface


def test_the_session_signer_is_built_once_per_key(app):
    interface = app.session_interface
    assert isinstance(interface, SessionInterface)
    first = interface.get_signing_serializer(app)
    assert interface.get_signing_serializer(app) is first
    app.secret_key = 'another key'
    assert interface.get_signing_serializer(app) is not first


def test_a_session_cookie_still_round_trips(client):
    with client.session_transaction() as session:
        session['locale'] = 'en'
    assert 'lang="en"' in client.get('/').text
