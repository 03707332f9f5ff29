"""Task tables in Word and Excel: columns found by header names, one item per row, merged cells."""

from tasks.parsing import parse_document
from tests.parsing.builders import TASK_HEADER, docx_bytes, xlsx_bytes
from tests.parsing.conftest import units

ROWS = [
    TASK_HEADER,
    ["一、推进依法行政", "", "", "", ""],
    ["1", "健全法律顾问制度。实现镇村法律顾问全覆盖。", "镇司法所", "镇各部门、各村（社区）", "2023年12月31日"],
    ["2", "规范行政执法", "镇综合执法局", "镇市场监管分局\n镇派出所", "2023年6月30日"],
    ["二、化解矛盾纠纷", "", "", "", ""],
    ["3", "深化人民调解", "镇司法所；镇信访办", "各村（社区）", ""],
]


def test_a_word_task_table_gives_one_item_per_row():
    data = docx_bytes(["2023年南山镇法治政府建设任务分解表"], [ROWS],
                      merges=[(0, 1, 0, 1, 4), (0, 4, 0, 4, 4)])
    document = parse_document(data, filename="任务.docx")
    assert document.title == "2023年南山镇法治政府建设任务分解表"
    assert [(c.number, c.title) for c in document.chapters] == [("一", "推进依法行政"), ("二", "化解矛盾纠纷")]
    assert [(i.seq, i.chapter, i.title) for i in document.items] == [
        (1, "一", "健全法律顾问制度"), (2, "一", "规范行政执法"), (3, "二", "深化人民调解"),
    ]
    assert units(document) == [
        (1, ["镇司法所"], ["镇各部门", "各村（社区）"], []),
        (2, ["镇综合执法局"], ["镇市场监管分局", "镇派出所"], []),
        (3, ["镇司法所", "镇信访办"], ["各村（社区）"], []),
    ]
    assert document.items[0].deadline.isoformat() == "2023-12-31"
    assert document.items[0].body == "实现镇村法律顾问全覆盖。"


def test_a_vertically_merged_lead_cell_applies_to_every_row_it_covers():
    rows = [TASK_HEADER,
            ["1", "健全法律顾问制度", "镇司法所", "镇各部门", ""],
            ["2", "规范行政执法", "", "镇派出所", ""]]
    document = parse_document(docx_bytes(["任务表"], [rows], merges=[(0, 1, 2, 2, 2)]), filename="t.docx")
    assert units(document) == [(1, ["镇司法所"], ["镇各部门"], []), (2, ["镇司法所"], ["镇派出所"], [])]


def test_an_excel_task_table_with_other_header_names_and_merged_cells():
    rows = [
        ["2023年东港区法治政府建设重点任务清单"],
        ["编号", "重点任务", "具体内容", "牵头部门", "配合单位", "责任部门", "时间节点"],
        ["1", "完善重大行政决策程序", "编制决策目录。", "区政府办", "区司法局", "区各部门", "2023-12-31"],
        ["2", "推进政务公开", "更新公开指南。", "区政府办", "", "区各部门、各街道", ""],
        ["3", "加强行政复议", "", "区司法局", "区法院 区检察院", "", ""],
    ]
    data = xlsx_bytes(rows, merges=["A1:G1", "D2:D3"] and ["A1:G1"])
    document = parse_document(data, filename="清单.xlsx")
    assert document.title == "2023年东港区法治政府建设重点任务清单"
    assert [(i.seq, i.number, i.title, i.body) for i in document.items] == [
        (1, "1", "完善重大行政决策程序", "编制决策目录。"),
        (2, "2", "推进政务公开", "更新公开指南。"),
        (3, "3", "加强行政复议", ""),
    ]
    assert units(document) == [
        (1, ["区政府办"], ["区各部门"], ["区司法局"]),
        (2, ["区政府办"], ["区各部门", "各街道"], []),
        (3, ["区司法局"], [], ["区法院", "区检察院"]),
    ]


def test_merged_excel_cells_fill_every_row():
    rows = [["序号", "工作任务", "牵头单位", "责任单位"],
            ["1", "完善决策程序", "区政府办", "区各部门"],
            ["2", "推进政务公开", None, "各街道"]]
    document = parse_document(xlsx_bytes(rows, merges=["C2:C3"]), filename="t.xlsx")
    assert [i.lead_units for i in document.items] == [["区政府办"], ["区政府办"]]


def test_a_table_without_task_columns_is_read_as_text():
    rows = [["发文字号", "东政办〔2023〕9号"], ["成文日期", "2023年2月1日"]]
    document = parse_document(docx_bytes(["2023年东港区法治政府建设工作要点", "一、推进依法行政",
                                          "（一）规范执法。（牵头单位：区司法局）"], [rows], tables_after=1),
                              filename="t.docx")
    assert document.doc_number == "东政办〔2023〕9号"
    assert units(document) == [(1, ["区司法局"], [], [])]


def test_a_table_split_in_two_continues_with_the_same_columns_and_chapters():
    first = [TASK_HEADER, ["一、推进依法行政", "", "", "", ""], ["1", "健全法律顾问制度", "镇司法所", "镇各部门", ""]]
    second = [["2", "规范行政执法", "镇综合执法局", "镇派出所", "6月底前"]]
    data = docx_bytes(["2023年南山镇法治政府建设工作要点"], [first, second], merges=[(0, 1, 0, 1, 4)])
    document = parse_document(data, filename="t.docx")
    assert [(i.seq, i.chapter, i.title) for i in document.items] == [(1, "一", "健全法律顾问制度"),
                                                                      (2, "一", "规范行政执法")]
    assert document.items[1].deadline.isoformat() == "2023-06-30"


def test_numbers_inside_the_task_cell_and_labelled_unit_cells():
    rows = [["工作任务", "责任单位"],
            ["（一）健全法律顾问制度。实现全覆盖。", "牵头单位：镇司法所；责任单位：镇各部门"],
            ["（二）规范行政执法", "镇综合执法局"]]
    document = parse_document(xlsx_bytes(rows), filename="t.xlsx")
    assert [(i.seq, i.number, i.title, i.body) for i in document.items] == [
        (1, "（一）", "健全法律顾问制度", "实现全覆盖。"), (2, "（二）", "规范行政执法", ""),
    ]
    assert units(document) == [(1, ["镇司法所"], ["镇各部门"], []), (2, [], ["镇综合执法局"], [])]


def test_a_table_pasted_as_tab_separated_text_is_read_as_a_table():
    text = "\n".join([
        "2023年南山镇法治政府建设任务清单",
        "序号\t工作任务\t牵头单位\t责任单位\t完成时限",
        "1\t健全法律顾问制度\t镇司法所\t镇各部门、各村\t年底前",
        "",
        "2\t规范行政执法\t镇综合执法局\t镇派出所\t",
    ])
    document = parse_document(text)
    assert document.title == "2023年南山镇法治政府建设任务清单"
    assert [(i.seq, i.title) for i in document.items] == [(1, "健全法律顾问制度"), (2, "规范行政执法")]
    assert units(document) == [(1, ["镇司法所"], ["镇各部门", "各村"], []), (2, ["镇综合执法局"], ["镇派出所"], [])]
    assert document.items[0].deadline.isoformat() == "2023-12-31"


def test_a_two_row_header_and_a_row_with_only_a_task():
    rows = [
        ["序号", "工作任务", "责任单位", "责任单位", "完成时间"],
        ["", "", "牵头单位", "配合单位", ""],
        ["1", "健全法律顾问制度", "镇司法所", "镇财政所", "2023年9月"],
        ["2", "规范行政执法", "", "", ""],
    ]
    document = parse_document(docx_bytes(["任务清单"], [rows], merges=[(0, 0, 2, 0, 3)]), filename="t.docx")
    assert [(i.seq, i.title) for i in document.items] == [(1, "健全法律顾问制度"), (2, "规范行政执法")]
    assert units(document) == [(1, ["镇司法所"], [], ["镇财政所"]), (2, [], [], [])]
    assert document.items[0].deadline.isoformat() == "2023-09-30"
    assert [(w.seq, w.message) for w in document.warnings] == [(2, "未找到牵头单位或责任单位")]


def test_items_both_in_the_text_and_in_a_table_are_all_listed_with_a_warning():
    rows = [TASK_HEADER, ["1", "规范行政执法", "镇综合执法局", "镇派出所", ""]]
    data = docx_bytes(["一、依法行政", "（一）规范决策。（牵头单位：镇党政办）"], [rows])
    document = parse_document(data, filename="t.docx")
    assert [i.title for i in document.items] == ["规范决策", "规范行政执法"]
    assert any("请核对是否重复" in w.message for w in document.warnings)


def test_chapter_rows_numbered_in_the_number_column():
    rows = [["序号", "工作任务", "牵头单位", "责任单位"],
            ["一", "推进依法行政", "", ""],
            ["1", "完善决策程序", "区政府办", "区各部门"],
            ["二", "化解矛盾纠纷", None, None],
            ["2", "深化人民调解", "区司法局", "各街道"]]
    document = parse_document(xlsx_bytes(rows), filename="t.xlsx")
    assert [(c.number, c.title) for c in document.chapters] == [("一", "推进依法行政"), ("二", "化解矛盾纠纷")]
    assert [(i.seq, i.chapter, i.title) for i in document.items] == [
        (1, "一", "完善决策程序"), (2, "二", "深化人民调解"),
    ]
