"""Small things users read: size limits as an office worker writes them, chapters named with their plan."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from reports import files, services
from tests.factories import ChapterFactory, PlanFactory

pytestmark = pytest.mark.django_db


def test_an_oversized_file_is_refused_with_a_natural_size_message(settings, monkeypatch):
    monkeypatch.setattr(files, "MAX_FILE_SIZE", 20 * 1024 * 1024)
    upload = SimpleUploadedFile("大.pdf", b"%PDF-" + b"0" * 10)
    upload.size = 25 * 1024 * 1024
    with pytest.raises(ValidationError) as refused:
        files.validate_upload(upload)
    assert refused.value.messages == ["“大.pdf”大小为 25 MB，超过单个文件 20 MB 的限制。"]


def test_the_review_queue_names_the_plan_of_each_chapter_when_several_plans_are_open(world, coordinator_client):
    html = coordinator_client.get("/reports/review/").content.decode()
    assert "依法全面履行政府职能（" not in html  # one plan: chapters as they are
    other = PlanFactory(title="2026年测试市乡镇工作要点", year=2026)
    ChapterFactory(plan=other, seq=1, number="一", title="依法全面履行政府职能")
    services.open_period(plan=other, name="半年报", kind="half_year", due_on=dt.date(2026, 7, 10), scope="all",
                         user=world.coordinator)
    html = coordinator_client.get("/reports/review/").content.decode()
    assert "一、依法全面履行政府职能（2026年测试市法治政府建设工作要点）" in html
    assert "一、依法全面履行政府职能（2026年测试市乡镇工作要点）" in html
