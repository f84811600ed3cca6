def test_front_page_is_georgian_by_default(client):
    response = client.get('/')
    assert response.status_code == 200
    assert 'lang="ka"' in response.text
    assert 'მონაწილეობის აკადემია' in response.text


def test_api_me_needs_a_token(client):
    response = client.get('/api/v1/me')
    assert response.status_code == 401
    assert response.json['error']['code'] == 'unauthorized'
    assert response.json['error']['fields'] == {}


def test_api_me_with_a_token(client, create_user, token_for):
    user = create_user(role='trainer')
    response = client.get('/api/v1/me', headers=token_for(user))
    assert response.status_code == 200
    assert response.json['email'] == user.email
    assert response.json['role'] == 'trainer'
