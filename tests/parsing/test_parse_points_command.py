"""`manage.py parse_points FILE --json`: one JSON object on stdout, no database, clear errors."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.parsing.builders import TASK_HEADER, xlsx_bytes
from tests.parsing.conftest import DOCUMENTS

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    import os

    env = {**os.environ, **(env_extra or {})}
    return subprocess.run([sys.executable, "manage.py", "parse_points", *args], cwd=ROOT, capture_output=True,
                          text=True, env=env, timeout=120)


def test_json_output_follows_the_contract(capsys):
    call_command("parse_points", str(DOCUMENTS / "district_arabic.txt"), "--json")
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"title", "issuer", "year", "doc_number", "issued_on", "chapters", "items", "warnings"}
    assert data["year"] == 2023 and data["doc_number"] == "东法办发(2023)3号"
    assert data["chapters"][0] == {"number": "一", "title": "提升依法行政能力"}
    assert data["items"][1] == {
        "seq": 2, "number": "2、", "chapter": "一", "title": "开展法治督察",
        "body": "对各街道法治建设情况开展实地督察。",
        "lead_units": ["区委依法治区办"], "responsible_units": ["各街道办事处"], "other_units": ["区司法局"],
        "path": [],  # added for four-level documents; nothing else changed
    }
    assert data["warnings"] == []


def test_the_summary_is_readable(capsys):
    call_command("parse_points", str(DOCUMENTS / "pdf_extracted.txt"))
    out = capsys.readouterr().out
    assert "标题：2023年西河区法治政府建设工作要点" in out
    assert "牵头：区司法局、区人社局" in out
    assert "第4项 内容疑似不完整" in out


def test_runs_on_a_fresh_checkout_without_migrating_and_creates_no_database(tmp_path):
    database = tmp_path / "never.sqlite3"
    data = tmp_path / "plan.xlsx"
    data.write_bytes(xlsx_bytes([TASK_HEADER, ["1", "完善决策程序", "区政府办", "区各部门", ""]]))
    result = _run(str(data), "--json", env_extra={"DATABASE_URL": f"sqlite:///{database}"})
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["items"][0]["lead_units"] == ["区政府办"]
    assert not database.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"%PDF-1.4 ...", "PDF 文件已损坏"), (bytes(range(256)) * 8, "这不是文本文件")],
)
def test_an_unreadable_file_exits_non_zero_with_one_line_on_stderr(tmp_path, content, message):
    path = tmp_path / "bad.bin"
    path.write_bytes(content)
    result = _run(str(path), "--json")
    assert result.returncode != 0
    assert result.stdout == ""
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_missing_file_exits_non_zero(tmp_path):
    result = _run(str(tmp_path / "nope.txt"), "--json")
    assert result.returncode == 1
    assert result.stderr.strip() == f"找不到文件：{tmp_path / 'nope.txt'}"
