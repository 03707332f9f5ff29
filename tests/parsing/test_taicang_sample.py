"""The real sample in ../shared/samples (skipped when that folder is not beside the checkout)."""

from tasks.parsing import parse_document


def _taicang(samples_dir):
    return parse_document((samples_dir / "taicang-2023-work-points.txt").read_bytes(), filename="taicang.txt")


def test_all_chapters_and_thirty_items_are_found(samples_dir):
    document = _taicang(samples_dir)
    assert len(document.chapters) == 8
    assert [c.number for c in document.chapters] == list("一二三四五六七八")
    assert [i.seq for i in document.items] == list(range(1, 31))
    assert document.warnings == []


def test_metadata(samples_dir):
    document = _taicang(samples_dir)
    assert document.title == "2023年太仓市法治政府建设工作要点"
    assert document.issuer == "太仓市人民政府办公室"
    assert document.year == 2023
    assert document.issued_on.isoformat() == "2023-06-06"
    assert document.doc_number is None  # the published text carries no document number


def test_first_item_units(samples_dir):
    item = _taicang(samples_dir).items[0]
    assert item.number == "(一)"
    assert item.lead_units == ["市委依法治市办", "市委组织部"]
    assert item.responsible_units == ["市政府各有关部门", "各区镇"]


def test_long_lead_lists_and_the_item_broken_over_two_lines(samples_dir):
    items = _taicang(samples_dir).items
    assert items[20].lead_units == ["市司法局", "市公安局", "市法院", "市检察院", "市信访局"]
    assert items[25].lead_units == ["市审计局", "市统计局", "市财政局", "市政府办公室"]
    assert items[22].title == "坚持将矛盾纠纷化解在萌芽状态"
    assert "坚持和发展" in items[22].body
    assert items[22].lead_units == ["市司法局"]


def test_titles_are_kept_as_written_typo_included(samples_dir):
    items = _taicang(samples_dir).items
    assert items[26].title == "健全行政执法投拆举报机制"
    assert items[28].lead_units == ["市政府办"]
    assert items[12].responsible_units == ["市各执法部门", "各镇区"]
