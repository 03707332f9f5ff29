"""Governments: derived from plan issuers, edited by the office, each with its own Word template."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
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


# ---------------------------------------------------------------------------------------------
# 下载示例 Word: the office's template filled with a sample report before a real one goes into it


def _preview(client, government):
    return client.get(reverse("govreport:government_template_preview", args=[government.pk]))


def test_the_office_downloads_its_uploaded_template_filled_with_sample_content(gov_world, coordinator_client):
    w = gov_world
    uploaded = _post(coordinator_client, w.government, template_file=SimpleUploadedFile("版头.docx", GOOD))
    assert uploaded.status_code == 302
    page = coordinator_client.get(reverse("govreport:government_edit", args=[w.government.pk])).content.decode()
    assert reverse("govreport:government_template_preview", args=[w.government.pk]) in page and "下载示例 Word" in page
    response = _preview(coordinator_client, w.government)
    assert response.status_code == 200 and response["Content-Type"].endswith("wordprocessingml.document")
    assert response["Content-Disposition"].startswith("attachment;")
    filled = Document(io.BytesIO(response.content))
    texts = [p.text for p in filled.paragraphs]
    year = timezone.localdate().year - 1
    # The government's own names in the office's own layout: red header kept, 文号 from its prefix, 主送.
    assert texts[0] == "测试市人民政府" and str(filled.paragraphs[0].runs[0].font.color.rgb) == "FF0000"
    assert texts[1] == f"测政呈〔{year + 1}〕1号　签发人：×××"
    assert f"测试市人民政府关于{year}年度法治政府建设情况的报告" in texts and "[中共测试市委员会]" in texts
    for heading in ("一、主要举措和成效", "（一）示例工作任务", "（二）第二项示例工作任务", "四、下一年度主要安排"):
        assert heading in texts
    assert "测试市人民政府办公室　" + f"{year + 1}年3月21日印发" in texts
    w.government.refresh_from_db()
    assert w.government.template_name == "版头.docx"  # a preview changes nothing


def test_without_a_template_the_preview_is_the_built_in_layout(gov_world, coordinator_client):
    response = _preview(coordinator_client, gov_world.government)
    assert response.status_code == 200
    texts = [p.text for p in Document(io.BytesIO(response.content)).paragraphs]
    assert "测试市人民政府" in texts[0] and any("示例工作任务" in t for t in texts)


def test_a_stored_template_that_cannot_be_filled_is_reported_not_a_500(gov_world, coordinator_client):
    government = gov_world.government
    government.template.save("broken.docx", ContentFile(b"PK\x03\x04 not a zip"), save=True)
    response = _preview(coordinator_client, government)
    assert response.status_code == 302 and response["Location"].endswith(
        reverse("govreport:government_edit", args=[government.pk]))
    page = coordinator_client.get(response["Location"]).content.decode()
    assert "Word 模板" in page and 'class="errorlist' not in page  # the reason as a message, the form intact
    Government.objects.filter(pk=government.pk).update(template="govtemplates/gone.docx")
    response = _preview(coordinator_client, Government.objects.get(pk=government.pk))
    assert response.status_code == 302
    assert "模板文件无法读取" in coordinator_client.get(response["Location"]).content.decode()


def test_only_coordinators_download_the_preview(gov_world, leader_client, liaison_a_client):
    for client in (leader_client, liaison_a_client):
        assert _preview(client, gov_world.government).status_code == 403
