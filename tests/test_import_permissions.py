"""Only coordinators import, and only the uploader sees an import; everyone else changes nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tasks.importing.drafts import PlanDraft
from tasks.importing.services import start_import
from tasks.models import Alias, Assignment, DocumentImport, ImportSource, ImportStatus, Plan, Unit, UnitKind, WorkItem
from tests.factories import UserFactory
from tests.import_support import form_data, parsed_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(coordinator, registry_units) -> DocumentImport:
    return start_import(user=coordinator, source=ImportSource.PASTE, filename="",
                        draft=PlanDraft.from_parsed(parsed_document(2, unknown="测试市新成立局")))


@pytest.fixture
def confirm_data(coordinator_client, pending) -> dict:
    data = form_data(coordinator_client.get(reverse("tasks:import_preview", args=[pending.pk])).content.decode())
    data.update({"names-0-action": "create", "names-0-kind": UnitKind.OTHER, "confirm": "1"})
    return data


def _state():
    return (Plan.objects.count(), WorkItem.objects.count(), Assignment.objects.count(), Unit.objects.count(),
            Alias.objects.count(), list(DocumentImport.objects.values_list("status", "data")))


def _requests(pending, confirm_data):
    preview = reverse("tasks:import_preview", args=[pending.pk])
    return [
        ("get", reverse("tasks:import_upload"), {}),
        ("post", reverse("tasks:import_upload"), {"text": "(一)推进依法决策。(牵头单位:测试市司法局)"}),
        ("get", preview, {}),
        ("post", preview, confirm_data),
        ("post", reverse("tasks:import_discard", args=[pending.pk]), {}),
    ]


@pytest.mark.parametrize("persona", ["liaison_a_client", "liaison_b_client", "leader_client"])
def test_liaisons_and_leaders_get_403_and_nothing_changes(request, persona, pending, confirm_data, fake_parser):
    client = request.getfixturevalue(persona)
    before = _state()
    for method, url, data in _requests(pending, confirm_data):
        response = getattr(client, method)(url, data)
        assert response.status_code == 403, (method, url)
    assert _state() == before
    assert fake_parser["calls"] == []


def test_another_coordinator_cannot_see_or_confirm_someone_elses_import(pending, confirm_data):
    other = Client()
    other.force_login(UserFactory(username="coordinator2"))
    before = _state()
    for method, url, data in _requests(pending, confirm_data)[2:]:
        assert getattr(other, method)(url, data).status_code == 404
    assert _state() == before


def test_anonymous_visitors_are_sent_to_login(pending, confirm_data):
    client = Client()
    before = _state()
    for method, url, data in _requests(pending, confirm_data):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert _state() == before


def test_the_coordinator_who_uploaded_can_do_everything(coordinator_client, pending, confirm_data, fake_parser):
    for method, url, data in _requests(pending, confirm_data)[:4]:
        assert getattr(coordinator_client, method)(url, data).status_code in (200, 302)
    pending.refresh_from_db()
    assert pending.status == ImportStatus.CONFIRMED
    assert Plan.objects.count() == 1


def test_the_import_link_is_shown_to_coordinators_only(coordinator_client, leader_client, liaison_a_client):
    link = f'href="{reverse("tasks:import_upload")}"'
    assert link in coordinator_client.get(reverse("tasks:plan_list")).content.decode()
    assert link not in leader_client.get(reverse("tasks:plan_list")).content.decode()
    assert link not in liaison_a_client.get(reverse("tasks:plan_list")).content.decode()
