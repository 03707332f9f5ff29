import json

import pytest


@pytest.mark.django_db
def test_healthz_answers_without_login_and_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_pages_other_than_login_and_healthz_require_login(client):
    response = client.get("/plans/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.get("/accounts/login/").status_code == 200
