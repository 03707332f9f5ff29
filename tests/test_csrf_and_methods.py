"""Every state-changing view is POST-only and refuses a POST without a CSRF token.

The URL patterns are walked at test time, so views added later are covered without editing this file.
A view is a mutation when it answers GET with 405 (require_POST) or when its URL name says so
(team convention: mutation URL names contain one of MUTATION_WORDS). Every other view must change
nothing in the database on GET.
"""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

MUTATION_WORDS = ("delete", "remove", "submit", "approve", "return", "reopen", "archive", "unlock", "clear",
                  "set_active", "reset_password", "send", "mark_read", "logout")
MUTATION_NAME = re.compile(r"(^|[_\-:])(" + "|".join(MUTATION_WORDS) + r")($|[_\-])")
SKIP_PREFIXES = ("admin:", "djdt:")
# Sessions and the audit trail legitimately grow on every request.
VOLATILE_TABLES = {"django_session", "audit_securityevent", "auditlog_logentry", "axes_accesslog",
                   "axes_accessattempt", "axes_accessfailurelog"}


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name or ''}", prefix + str(entry.pattern), entry


def _sample_path(route: str) -> str:
    # Fill every converter with a value that parses; the object need not exist for a 405 or a 403.
    path = re.sub(r"<int:[^>]+>", "999999", route)
    path = re.sub(r"<uuid:[^>]+>", "00000000-0000-0000-0000-000000000000", path)
    path = re.sub(r"<(?:str|slug)?:?[^>]+>", "x", path)
    path = path.replace("^", "").replace("$", "")
    return "/" + path


def _routes() -> list[tuple[str, str]]:
    found = []
    for name, route, _pattern in _walk(get_resolver()):
        if name.startswith(SKIP_PREFIXES) or "(?P" in route or "\\" in route:
            continue
        found.append((name, _sample_path(route)))
    return found


def _mutation_routes() -> list[tuple[str, str]]:
    return [(n, p) for n, p in _routes() if MUTATION_NAME.search(n)]


def test_the_walk_finds_the_known_mutation_views():
    names = {n for n, _ in _mutation_routes()}
    assert {"accounts:user_set_active", "accounts:lockout_clear", "accounts:user_reset_password", "logout"} <= names


@pytest.mark.parametrize(("name", "path"), _mutation_routes(), ids=[n for n, _ in _mutation_routes()])
def test_mutation_views_refuse_get(coordinator_client, name, path):
    response = coordinator_client.get(path)
    assert response.status_code == 405, f"{name} ({path}) answered GET with {response.status_code}"


def _csrf_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


@pytest.mark.parametrize(("name", "path"), _routes(), ids=[n for n, _ in _routes()])
def test_no_view_accepts_a_post_without_a_csrf_token(coordinator, name, path):
    response = _csrf_client(coordinator).post(path, {"active": "0", "username": "x"})
    assert response.status_code == 403, f"{name} ({path}) answered a token-less POST with {response.status_code}"


def _row_counts() -> dict[str, int]:
    counts = {}
    for model in apps.get_models():
        if model._meta.db_table not in VOLATILE_TABLES and model._meta.managed:
            counts[model._meta.label] = model._default_manager.count()
    return counts


@pytest.mark.parametrize(("name", "path"), _routes(), ids=[n for n, _ in _routes()])
def test_get_never_changes_the_database(coordinator_client, liaison_a, leader, name, path):
    before = _row_counts()
    coordinator_client.get(path)
    assert _row_counts() == before


def test_a_form_post_with_its_token_goes_through(coordinator, liaison_a):
    client = _csrf_client(coordinator)
    page = client.get("/accounts/users/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    response = client.post(f"/accounts/users/{liaison_a.pk}/active/", {"active": "0",
                                                                       "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    liaison_a.refresh_from_db()
    assert not liaison_a.is_active
