"""The import preview is rendered once per draft version and registry version (issue 15): a saved edit or a
registry change shows on the next request, a form sent back with errors is never the cached page, the token
is each visitor's own, and the unit selects of unresolved names reuse options rendered once."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fazhi.widgets import FastSelect
from tasks import services
from tasks.importing.drafts import PlanDraft
from tasks.importing.forms import ReusedOptionsSelect, name_choices
from tasks.importing.resolve import Registry
from tasks.importing.services import start_import
from tasks.models import ImportSource
from tests.factories import UserFactory
from tests.import_support import form_data, parsed_document

pytestmark = pytest.mark.django_db

NEW = "测试市新成立局"


def _start(user, n: int = 2, unknown: str | None = NEW) -> str:
    document_import = start_import(user=user, source=ImportSource.PASTE, filename="",
                                   draft=PlanDraft.from_parsed(parsed_document(n, unknown=unknown)))
    return reverse("tasks:import_preview", args=[document_import.pk])


def _unresolved(html: str) -> str:
    match = re.search(r'<div class="card unresolved".*?</table>', html, re.S)
    return match.group(0) if match else ""


def test_a_saved_edit_shows_on_the_next_request(coordinator_client, coordinator, registry_units):
    url = _start(coordinator)
    html = coordinator_client.get(url).content.decode()
    data = form_data(html)
    data["items-0-title"] = "改过的第一项"
    assert coordinator_client.post(url, {**data, "save": "1"}).status_code == 302
    html = coordinator_client.get(url).content.decode()
    assert 'value="改过的第一项"' in html


def test_a_new_unit_or_alias_resolves_a_name_on_the_next_request(coordinator_client, coordinator, registry_units):
    url = _start(coordinator)
    assert NEW in _unresolved(coordinator_client.get(url).content.decode())
    services.add_alias(name=NEW, unit=registry_units["gaj"])
    assert NEW not in _unresolved(coordinator_client.get(url).content.decode())
    other = _start(coordinator, unknown="测试市另一新局")
    assert "测试市另一新局" in _unresolved(coordinator_client.get(other).content.decode())
    services.create_unit(name="测试市另一新局")
    assert "测试市另一新局" not in _unresolved(coordinator_client.get(other).content.decode())


def test_a_renamed_unit_shows_in_the_decided_names_targets(coordinator_client, coordinator, registry_units):
    url = _start(coordinator)
    html = coordinator_client.get(url).content.decode()
    assert registry_units["gaj"].name in html
    gaj = registry_units["gaj"]
    services.update_unit(unit=gaj, name="测试市公安局（改名）", short_name=gaj.short_name, kind=gaj.kind,
                         order=gaj.order, is_active=True)
    assert "测试市公安局（改名）" in coordinator_client.get(url).content.decode()


def test_only_its_owner_sees_a_preview(coordinator_client, coordinator, leader_client, liaison_a_client,
                                       registry_units):
    url = _start(coordinator)
    assert coordinator_client.get(url).status_code == 200  # cached now
    second = UserFactory(username="coordinator2", role=coordinator.role)
    client = Client()
    client.force_login(second)
    assert client.get(url).status_code == 404
    assert leader_client.get(url).status_code == 403
    assert liaison_a_client.get(url).status_code == 403


def test_a_form_sent_back_with_errors_is_never_the_cached_page(coordinator_client, coordinator, registry_units):
    url = _start(coordinator)
    data = form_data(coordinator_client.get(url).content.decode())
    response = coordinator_client.post(url, {**data, "items-0-title": "", "save": "1"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "有内容需要修改" in html and 'name="items-0-title"' in html
    assert re.search(r'<div class="f-title field-error">', html)
    # The next GET is the stored draft again (no errors), and a second bad POST is rendered afresh.
    html = coordinator_client.get(url).content.decode()
    assert "field-error" not in html and 'value="推进第1项工作"' in html
    response = coordinator_client.post(url, {**data, "items-1-title": "", "save": "1"})
    assert response.status_code == 400 and "第 2 项" in response.content.decode()


def test_a_cached_preview_posts_with_each_visitors_own_token(coordinator, registry_units):
    url = _start(coordinator)
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(coordinator)
    second.force_login(coordinator)
    html_first = first.get(url).content.decode()
    html_second = second.get(url).content.decode()  # served from the cache
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html_second).group(1)
    assert token != re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html_first).group(1)
    data = {**form_data(html_second), "csrfmiddlewaretoken": token}
    data["items-0-title"] = "第二个会话改的"
    assert second.post(url, {**data, "save": "1"}).status_code == 302
    assert 'value="第二个会话改的"' in first.get(url).content.decode()


def test_the_preview_runs_the_same_queries_at_1_and_50_items_and_fewer_cached(coordinator_client, coordinator,
                                                                              registry_units):
    coordinator_client.get(reverse("reports:notices"))  # the signed-in user is cached from now on
    Registry.current()
    counts = []
    for n in (1, 50):
        url = _start(coordinator, n)
        with CaptureQueriesContext(connection) as cold:
            assert coordinator_client.get(url).status_code == 200
        counts.append(len(cold))
    with CaptureQueriesContext(connection) as warm:
        coordinator_client.get(url)
    assert counts[0] == counts[1] and len(warm) < counts[1]


def test_the_unit_selects_reuse_one_rendering_and_mark_the_choice(registry_units):
    choices = name_choices(Registry.load())
    gaj, group = registry_units["gaj"], registry_units["group"]
    for value in ("", f"u:{gaj.pk}", f"g:{group.pk}"):
        fast = FastSelect(choices=choices.target).render("names-0-target", value, {"id": "id_names-0-target"})
        reused = ReusedOptionsSelect(choices.target_options).render("names-0-target", value,
                                                                    {"id": "id_names-0-target"})
        assert reused == fast
    members = ReusedOptionsSelect(choices.member_options, multiple=True, attrs={"size": 4}).render(
        "names-0-members", [str(gaj.pk), str(registry_units["sfj"].pk)])
    assert f'<option value="{gaj.pk}" selected>' in members and members.count(" selected>") == 2
    assert members.startswith('<select name="names-0-members" size="4" multiple>')
