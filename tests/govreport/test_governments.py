"""Governments: derived from plan issuers, edited by the office, each with its own Word template."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from govreport import services
from govreport.documents import report_docx
from tasks import services as task_services
from tasks.models import Government, government_name_for_issuer
from tests.govreport.conftest import YEAR
from tests.test_doctemplates import GOOD, _template

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("issuer", "government"), [
    ("太仓市人民政府办公室", "太仓市人民政府"), ("苏州市相城区人民政府", "苏州市相城区人民政府"),
    ("江川市全面依法治市委员会办公室", "江川市全面依法治市委员会办公室"), ("", "本级人民政府"),
])
def test_a_plan_belongs_to_the_government_its_issuer_names(issuer, government):
    assert government_name_for_issuer(issuer) == government
    plan = task_services.create_plan(title="工作要点", year=YEAR, issuer=issuer)
    assert plan.government.name == government
    again = task_services.create_plan(title="工作要点二", year=YEAR, issuer=issuer)
    assert again.government_id == plan.government_id


def test_the_data_migration_rule_is_the_models_rule():
    import importlib

    migration = importlib.import_module("tasks.migrations.0005_governments_for_existing_plans")
    for issuer in ("太仓市人民政府办公室", "某某委员会", "", "  相城区人民政府  "):
        assert migration._name(issuer) == government_name_for_issuer(issuer)


def _post(client, government, **extra):
    data = {"name": government.name, "red_header": "测试市人民政府", "doc_prefix": "测政呈",
            "recipients": "中共测试市委员会", "leadership_unit": "", "parent": ""}
    data.update(extra)
    return client.post(reverse("govreport:government_edit", args=[government.pk]), data)


def test_the_office_uploads_its_template_and_the_report_uses_it(gov_world, coordinator_client, coordinator):
    w = gov_world
    response = _post(coordinator_client, w.government,
                     template_file=SimpleUploadedFile("版头.docx", GOOD))
    assert response.status_code == 302
    w.government.refresh_from_db()
    assert w.government.template and w.government.template_name == "版头.docx"
    report = services.compile_report(government=w.government, year=YEAR, user=coordinator)
    texts = [p.text for p in Document(io.BytesIO(report_docx(report))).paragraphs]
    assert texts[0] == "测试市人民政府" and report.title in texts
    assert "（一）深入学习贯彻习近平法治思想" in texts


def test_a_bad_template_is_refused_and_nothing_is_saved(gov_world, coordinator_client):
    w = gov_world
    response = _post(coordinator_client, w.government, name="改过的名字",
                     template_file=SimpleUploadedFile("坏.docx", _template("没有占位符", footer="页脚")))
    assert response.status_code == 400
    assert "没有任何填充标记" in response.content.decode()
    w.government.refresh_from_db()
    assert w.government.name == "测试市人民政府" and not w.government.template
    response = _post(coordinator_client, w.government,
                     template_file=SimpleUploadedFile("x.docx", b"PK\x03\x04 not a zip"))
    assert response.status_code == 400


def test_only_coordinators_edit_governments(gov_world, leader_client, liaison_a_client):
    for client in (leader_client, liaison_a_client):
        assert _post(client, gov_world.government, name="篡改").status_code == 403
        assert client.get(reverse("govreport:governments")).status_code == 403
    assert Government.objects.get(pk=gov_world.government.pk).name == "测试市人民政府"


def _compile_select(client) -> str:
    html = client.get(reverse("govreport:list")).content.decode()
    start = html.index('<select name="government"')
    return html[start:html.index("</select>", start)]


def test_the_compile_form_preselects_the_only_government_without_an_empty_choice(gov_world, coordinator_client):
    assert Government.objects.count() == 1
    select = _compile_select(coordinator_client)
    assert "---------" not in select
    assert f'<option value="{gov_world.government.pk}" selected>测试市人民政府</option>' in select


def test_with_several_governments_the_one_last_reported_on_is_preselected(gov_world, coordinator_client,
                                                                          coordinator):
    Government.objects.create(name="甲县人民政府")  # sorts first by name
    services.compile_report(government=gov_world.government, year=YEAR, user=coordinator)
    select = _compile_select(coordinator_client)
    assert "---------" not in select and select.count("<option") == 2
    assert f'<option value="{gov_world.government.pk}" selected>测试市人民政府</option>' in select
