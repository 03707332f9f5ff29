"""Text copied from a government web page: breadcrumbs, print/close links, share links, page metadata."""

from tests.parsing.conftest import parse_fixture, units


def test_page_furniture_is_ignored_and_page_metadata_is_used():
    document = parse_fixture("web_copy.txt")
    assert document.title == "2023年南溪市法治政府建设工作要点"
    assert document.issuer == "南溪市人民政府办公室"
    assert document.doc_number == "南政办〔2023〕65号"
    assert document.issued_on.isoformat() == "2023-07-22"
    assert document.year == 2023


def test_items_and_units_are_read_and_the_site_footer_is_not_a_unit():
    document = parse_fixture("web_copy.txt")
    assert [i.title for i in document.items] == ["推进政务服务标准化", "优化营商环境", "规范重大行政决策程序"]
    assert units(document) == [
        (1, ["市政务办"], ["市各有关部门"], []),
        (2, ["市发改委"], ["市商务局", "市市场监管局"], []),
        (3, ["市政府办公室", "市司法局"], ["市各有关部门", "各区"], []),
    ]
    assert document.warnings == []


def test_the_title_inside_a_notice_heading_without_guillemets():
    from tasks.parsing import parse_text

    document = parse_text("南溪市人民政府办公室关于印发2023年南溪市法治政府建设工作要点的通知\n"
                          "一、总体\n（一）推进工作。（牵头单位：市司法局）")
    assert document.title == "2023年南溪市法治政府建设工作要点"
    assert document.issuer == "南溪市人民政府办公室"
    assert document.year == 2023
