"""Shared fixtures: the four personas every view is tested with, and a small plan they work on."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import Role, User
from tasks.models import Unit, UnitKind
from tests.factories import UnitFactory, UserFactory
from tests.import_support import fake_parser, registry_units  # noqa: F401  (import-pipeline fixtures)


@pytest.fixture
def unit_a(db) -> Unit:
    return UnitFactory(name="测试市司法局", short_name="司法局", kind=UnitKind.GOVERNMENT)


@pytest.fixture
def unit_b(db) -> Unit:
    return UnitFactory(name="测试市甲镇人民政府", short_name="甲镇", kind=UnitKind.TOWN)


@pytest.fixture
def coordinator(db) -> User:
    return UserFactory(username="coordinator", role=Role.COORDINATOR, last_name="王", first_name="协调")


@pytest.fixture
def leader(db) -> User:
    return UserFactory(username="leader", role=Role.LEADER, last_name="李", first_name="领导")


@pytest.fixture
def liaison_a(unit_a) -> User:
    return UserFactory(username="liaison_a", role=Role.LIAISON, unit=unit_a, last_name="张", first_name="联络")


@pytest.fixture
def liaison_b(unit_b) -> User:
    return UserFactory(username="liaison_b", role=Role.LIAISON, unit=unit_b, last_name="赵", first_name="联络")


def _client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def coordinator_client(coordinator) -> Client:
    return _client_for(coordinator)


@pytest.fixture
def leader_client(leader) -> Client:
    return _client_for(leader)


@pytest.fixture
def liaison_a_client(liaison_a) -> Client:
    return _client_for(liaison_a)


@pytest.fixture
def liaison_b_client(liaison_b) -> Client:
    return _client_for(liaison_b)
