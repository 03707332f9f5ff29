"""A city's work points: notice header, 〔2024〕 number, half-width brackets, a clause broken over lines."""

from tests.parsing.conftest import parse_fixture, units


def test_metadata_comes_from_the_notice_header_and_signature():
    document = parse_fixture("city_halfwidth.txt")
    assert document.title == "2024年云山市法治政府建设工作要点"
    assert document.issuer == "云山市人民政府办公室"
    assert document.year == 2024
    assert document.doc_number == "云政办〔2024〕12号"
    assert document.issued_on.isoformat() == "2024-03-15"


def test_chapters_and_items_are_numbered_as_written():
    document = parse_fixture("city_halfwidth.txt")
    assert [(c.number, c.title) for c in document.chapters] == [
        ("一", "健全政府机构职能体系"),
        ("二", "完善依法行政制度体系"),
        ("三", "严格规范公正文明执法"),
    ]
    assert [(i.seq, i.number, i.chapter) for i in document.items] == [
        (1, "(一)", "一"), (2, "(二)", "一"), (3, "(三)", "二"), (4, "(四)", "二"),
        (5, "(五)", "三"), (6, "(六)", "三"), (7, "(七)", "三"),
    ]


def test_titles_are_the_text_before_the_first_full_stop():
    document = parse_fixture("city_halfwidth.txt")
    assert [i.title for i in document.items] == [
        "深化行政审批制度改革", "优化法治化营商环境", "加强行政规范性文件管理", "推进重大行政决策科学化",
        "深化综合执法改革", "健全行政执法监督机制", "加强行政复议应诉工作",
    ]


def test_a_sentence_broken_over_two_lines_is_joined_in_the_body():
    item = parse_fixture("city_halfwidth.txt").items[2]
    assert "推行规范性文件统一登记、统一编号、统一公布。" in item.body
    assert "牵头单位" not in item.body


def test_unit_lists_are_exact_including_a_lead_only_clause_and_nested_brackets():
    assert units(parse_fixture("city_halfwidth.txt")) == [
        (1, ["市行政审批局"], ["市政府各有关部门", "各镇区"], []),
        (2, ["市发改委", "市市场监管局"], ["市政府各有关部门", "各镇区"], []),
        (3, ["市司法局"], ["市政府各有关部门"], []),
        (4, ["市政府办", "市司法局"], [], []),
        (5, ["市委编办", "市司法局"], ["市各执法部门", "各镇(街道)"], []),
        (6, ["市司法局", "市政府办公室", "市财政局", "市审计局", "市人社局"], ["市各执法部门"], []),
        (7, ["市司法局"], ["市政府各有关部门", "各镇区"], []),
    ]


def test_a_clean_document_has_no_warnings():
    assert parse_fixture("city_halfwidth.txt").warnings == []
