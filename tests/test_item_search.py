"""任务查询: each filter narrows the list, groups count, and filters survive pagination."""

import re

import pytest
from django.urls import reverse

from tasks import services
from tests.factories import PlanFactory, UnitFactory, UnitGroupFactory

pytestmark = pytest.mark.django_db


def _titles(response) -> set[str]:
    assert response.status_code == 200
    return set(re.findall(r"<strong>(任务[^<]*)</strong>", response.content.decode()))


@pytest.fixture
def data(unit_a, unit_b):
    towns = UnitGroupFactory(name="各区镇", members=[unit_b])
    police = UnitFactory(name="测试市公安局")
    this_year = PlanFactory(year=2026)
    last_year = PlanFactory(year=2025)
    ch1 = services.create_chapter(plan=this_year, title="第一章")
    ch2 = services.create_chapter(plan=this_year, title="第二章")
    services.create_item(plan=this_year, chapter=ch1, title="任务甲：行政复议", body="推进复议规范化。",
                         lead=[unit_a], responsible=[towns])
    services.create_item(plan=this_year, chapter=ch2, title="任务乙：执法检查", body="综合查一次。",
                         lead=[police], responsible=[unit_a])
    services.create_item(plan=last_year, title="任务丙：往年普法", body="宪法宣传周。",
                         lead=[unit_b], responsible=[])
    return {"this_year": this_year, "last_year": last_year, "ch2": ch2, "police": police}


def search(client, **params):
    return client.get(reverse("tasks:item_search"), params)


def test_without_filters_every_item_is_listed(leader_client, data):
    assert _titles(search(leader_client)) == {"任务甲：行政复议", "任务乙：执法检查", "任务丙：往年普法"}


def test_filters_by_year_plan_and_chapter(leader_client, data):
    assert _titles(search(leader_client, year=2025)) == {"任务丙：往年普法"}
    assert _titles(search(leader_client, plan=data["this_year"].pk)) == {"任务甲：行政复议", "任务乙：执法检查"}
    assert _titles(search(leader_client, plan=data["this_year"].pk, chapter=data["ch2"].pk)) == {"任务乙：执法检查"}


def test_keyword_matches_title_or_body(leader_client, data):
    assert _titles(search(leader_client, q="复议")) == {"任务甲：行政复议"}
    assert _titles(search(leader_client, q="宪法")) == {"任务丙：往年普法"}
    assert _titles(search(leader_client, q="宪法 复议")) == set()


def test_lead_and_responsible_unit_filters(leader_client, data, unit_a, unit_b):
    assert _titles(search(leader_client, lead=unit_a.pk)) == {"任务甲：行政复议"}
    assert _titles(search(leader_client, responsible=unit_a.pk)) == {"任务乙：执法检查"}
    # unit B is responsible for 任务甲 only through the group "各区镇".
    assert _titles(search(leader_client, responsible=unit_b.pk)) == {"任务甲：行政复议"}
    assert _titles(search(leader_client, lead=unit_b.pk)) == {"任务丙：往年普法"}


def test_an_invalid_value_is_reported_not_a_500(leader_client, data):
    response = search(leader_client, plan="99999", q="复议")
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert _titles(response) == {"任务甲：行政复议"}


def test_filters_survive_pagination(leader_client, unit_a):
    plan = PlanFactory(year=2026)
    for i in range(25):
        services.create_item(plan=plan, title=f"任务{i:02d}", lead=[unit_a], responsible=[])
    services.create_item(plan=plan, title="其他事项", lead=[UnitFactory()], responsible=[])
    first = search(leader_client, lead=unit_a.pk, year=2026)
    html = first.content.decode()
    assert "共 25 项" in html
    next_link = re.search(r'href="(\?[^"]*page=2[^"]*)"', html).group(1).replace("&amp;", "&")
    assert f"lead={unit_a.pk}" in next_link and "year=2026" in next_link
    second = leader_client.get(reverse("tasks:item_search") + next_link)
    assert len(_titles(second)) == 5
    assert "第 2 页，共 25 项" in second.content.decode()


def test_a_search_without_hits_says_so_instead_of_calling_the_chapter_empty(leader_client, data):
    html = leader_client.get("/plans/items/?q=不存在的关键词").content.decode()
    assert "没有符合条件的工作任务" in html and "本章节暂无工作任务" not in html
