"""Shared fixtures: the four personas every view is tested with, and a small plan they work on."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import Role, User
from tasks.models import Unit, UnitKind
from tests.factories import UnitFactory, UserFactory
from tests.import_support import fake_parser, registry_units  # noqa: F401  (import-pipeline fixtures)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path) -> None:
    # Evidence and generated files never land in the checkout's var/media.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _cached_users(settings) -> None:
    # As in production with Redis: the suite runs in one process, so its local-memory cache is shared.
    settings.FAZHI_CACHE_USERS = True


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    # Cached users, notice counts and dashboard figures are keyed by ids, which a rolled-back test may reuse.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    # PBKDF2 costs ~0.3 s per user; tests check permissions, not hash strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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


@pytest.fixture
def small_plan(unit_a, unit_b):
    """A plan with two chapters and three items: unit A leads item 1, unit B owes it through the group
    "各区镇"; unit B leads item 2; item 3 belongs to a third unit only."""
    from tasks import services
    from tests.factories import PlanFactory, UnitGroupFactory

    towns = UnitGroupFactory(name="各区镇", members=[unit_b])
    other = UnitFactory(name="测试市公安局", short_name="公安局")
    plan = PlanFactory(title="2026年测试市法治政府建设工作要点", doc_number="测政办〔2026〕9号")
    first = services.create_chapter(plan=plan, title="加强党对法治政府建设的领导")
    second = services.create_chapter(plan=plan, title="健全依法行政制度体系")
    services.create_item(plan=plan, chapter=first, title="深入学习贯彻习近平法治思想",
                         body="组织专题学习，开展集中培训。", lead=[unit_a], responsible=[towns])
    services.create_item(plan=plan, chapter=first, title="推进基层法治建设", body="建设法治示范村。",
                         lead=[unit_b], responsible=[])
    services.create_item(plan=plan, chapter=second, title="规范执法检查", body="推行综合查一次。",
                         lead=[other], responsible=[])
    return plan


@pytest.fixture
def fresh_demo(db, tmp_path_factory):
    """``load_demo`` into the empty test database: really once per process, then copied back
    (tests/demo_snapshot.py). Call it with the command's arguments; it returns the command's output."""
    from tests import demo_snapshot

    store = tmp_path_factory.getbasetemp() / "demo-snapshots"
    return lambda *args: demo_snapshot.load_demo(*args, store=store)


@pytest.fixture
def fetch_export(django_capture_on_commit_callbacks):
    """Ask for a generated file the way a user does (POST, then the job's page) and download it.

    Without a worker configured the job is built once the request commits; the test transaction never
    commits, so the on-commit callbacks are run here.
    """

    def fetch(client: Client, url: str):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url)
        assert response.status_code == 302, response.status_code
        page = client.get(response["Location"]).content.decode()
        assert "已完成" in page, page
        return client.get(response["Location"] + "download/")

    return fetch
