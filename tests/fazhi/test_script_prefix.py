"""A client cannot choose the URL prefix (gunicorn passes a SCRIPT_NAME header on as the WSGI SCRIPT_NAME):
links, and the page parts cached with them, always use the deployment's own prefix."""

from __future__ import annotations

from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client, RequestFactory

from tests.factories import PlanFactory, UserFactory


def _through_wsgi(client: Client, path: str, script_name: str) -> str:
    """The request as gunicorn hands it over (Django's test client never sets the script prefix)."""
    environ = RequestFactory()._base_environ(PATH_INFO=path, SCRIPT_NAME=script_name, REQUEST_METHOD="GET",
                                             HTTP_COOKIE="; ".join(f"{k}={v.value}" for k, v in client.cookies.items()))
    # As Django's test client does: the request must not close the test's connection (on PostgreSQL it would end
    # the test's transaction; SQLite's in-memory connection never closes).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        response = WSGIHandler()(environ, lambda status, headers: None)
        body = b"".join(response).decode()
        response.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return body


def test_a_script_name_sent_by_a_client_changes_no_link_for_anyone(db):
    PlanFactory(title="2026年某市法治政府建设工作要点")
    attacker, victim = Client(), Client()
    attacker.force_login(UserFactory())
    victim.force_login(UserFactory())
    poisoned = _through_wsgi(attacker, "/plans/", "/zz")
    assert "2026年某市法治政府建设工作要点" in poisoned
    assert 'href="/zz/' not in poisoned and 'href="/plans/' in poisoned
    page = victim.get("/plans/").content.decode()  # served from the part cached for the attacker's request
    assert "2026年某市法治政府建设工作要点" in page and "/zz/" not in page
