"""Cleaning extracted text before it is read: noise lines, stray spaces, traditional characters.

Everything here works line by line and keeps the wording of the document: only characters that
carry no meaning (furniture of a web page, page numbers, bookmark residue, spaces that PDF/OCR
extraction puts between Chinese characters) are removed.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Characters that count as "Chinese text" for the space rules: CJK ideographs plus full-width
# punctuation and brackets, so "2023 年" and "（ 一 ）" both lose their spaces.
_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’《》【】〔〕"
_SPACE_AROUND_CJK = re.compile(rf"(?<=[{_CJK}])[ \t]+|[ \t]+(?=[{_CJK}])")
_DIGIT_SPACE = re.compile(r"(?<=\d)[ \t]+(?=[.．、])")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]", re.IGNORECASE)
_MULTISPACE = re.compile(r"[ \t\u00a0\u3000\u2002\u2003\u2009]+")

# Page numbers as PDF and Word leave them: "- 3 -", "—3—", "第3页", "第 3 页 共 10 页", "3/10", "3", and a
# web page's pager over an article split in chunks: "1、2、3、", "上一页 1 2 3 下一页".
_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－]\s*\d{1,3}\s*[-—–－]|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?"
    r"|(?:上一页|首页)?\s*(?:\d{1,3}\s*[、,，.．]?\s*){2,}(?:下一页|尾页|末页)?"
    r"|\d{1,3}\s*/\s*\d{1,3}|\d{1,3}|[-—–－]?\s*[ivxIVX]{1,4}\s*[-—–－]?|page\s*\d+(\s*of\s*\d+)?)$",
    re.IGNORECASE,
)

# Lines that only exist on a government web page around the document.
_FURNITURE = re.compile(
    r"^(?:当前位置|您当前的位置|你的位置|您的位置|首页\s*[>›»/＞]|.*[>›»＞]\s*(?:正文|政务公开|通知公告|政策文件))"
    r"|打印本页|关闭窗口|【?\s*打印\s*】?\s*【?\s*关闭\s*】?$|^【?\s*(?:打印|关闭|返回顶部|收藏|纠错)\s*】?$"
    r"|^分享到|^扫一扫|手机打开|^\s*【?\s*字[号体]\s*[:：]?\s*【?\s*大\s*中\s*小|^【?\s*大\s*中\s*小\s*】?$"
    r"|^(?:来源|信息来源|文章来源|发布时间|发布日期|更新时间|浏览次数|访问量|阅读次数|点击数|作者|责任编辑|编辑)\s*[:：]"
    r"|^(?:上一篇|下一篇|相关链接|相关文章|相关附件|附件下载|网站地图|联系我们)\s*[:：]?"
    r"|网站标识码|ICP备|公网安备|版权所有|Copyright|技术支持\s*[:：]|^\s*(?:微信|微博|QQ空间|QQ好友)(?:\s|$)",
    re.IGNORECASE,
)

# Web pages show the document's own metadata as a labelled table; those values are worth keeping.
WEB_METADATA = re.compile(
    r"^(索引号|主题分类|发文机关|发布机构|发文字号|文号|成文日期|发布日期|公开方式|公开范围|有效性|标题|名称)\s*[:：]\s*(.*)$"
)


@lru_cache(maxsize=1)
def _converter():
    from opencc import OpenCC

    return OpenCC("t2s")


@lru_cache(maxsize=1)
def _traditional_chars() -> frozenset[str]:
    """Characters the converter would change; lets simplified text skip the (slower) conversion."""
    conv = _converter()
    conv.convert("")  # loads the dictionaries
    chars: set[str] = set()
    for group in conv._dict_chain_data:
        for _max_len, _min_len, mapping in group:
            chars.update(key for key, value in mapping.items() if len(key) == 1 and key != value.split(" ")[0])
    return frozenset(chars)


def to_simplified(text: str) -> str:
    """Traditional → simplified, only when the text has traditional characters (keeps simplified text as is)."""
    trad = _traditional_chars()
    if not any(ch in trad for ch in text):
        return text
    return _converter().convert(text)


_IDEOGRAPHS = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+$")
_IDEOGRAPHS_AHEAD = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
UNIT_SUFFIX = re.compile(
    r"(?:局|办|委|部|院|会|所|队|处|站|室|中心|司|府|区|镇|乡|街道|部门|厅|团|社|行|校|馆|台|组|单位|公司)$"
)


# Words that end a unit's name but never start one: "市政府 办公室" is one name with a stray space.
_NAME_TAILS = re.compile(
    r"^(?:办公室|办公厅|办事处|委员会|管委会|管理委员会|领导小组|中心|分局|支队|大队|中队|工作站"
    r"|各有关|各相关|各部门|各职能|各直属|各成员|各委办局|有关部门|相关部门|所属)"
)


def starts_unit_name(token: str) -> bool:
    """Whether a space-separated piece after a complete unit name is the next name (not its tail)."""
    return len(token) >= 3 and not _NAME_TAILS.match(token)


def squash_spaces(text: str, *, keep_unit_gaps: bool = False) -> str:
    """Remove spaces next to Chinese characters ("2023 年" → "2023年", "市 司法局" → "市司法局").

    With ``keep_unit_gaps`` a space between two complete-looking unit names ("市司法局 市财政局") stays,
    so that unit lists separated by spaces can still be split.
    """
    if keep_unit_gaps and " " in text:
        text = _SPACE_AROUND_CJK.sub(lambda m: _space_or_nothing(text, m), text)
    else:
        text = _SPACE_AROUND_CJK.sub("", text)
    return _DIGIT_SPACE.sub("", text)


def _space_or_nothing(text: str, match: re.Match[str]) -> str:
    left = _IDEOGRAPHS.search(text, 0, match.start())
    right = _IDEOGRAPHS_AHEAD.match(text, match.end())
    if (left and right and left.end() == match.start() and len(left.group(0)) >= 3
            and starts_unit_name(right.group(0)) and UNIT_SUFFIX.search(left.group(0))):
        return " "
    return ""


# Pinyin a web page puts after a character ("發(fā)展", "區(qū)"): a bracket of Latin letters with a tone mark.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_PINYIN = re.compile(rf"(?<=[\u3400-\u9fff])[(（]\s*(?=[a-zü{_TONED}]*[{_TONED}])[a-zü{_TONED}]{{1,7}}\s*[)）]")
# A newspaper's continuation marks: "（上接第一版）", "（下转第4版）", "（接上版）".
_CONTINUATION = re.compile(r"[(（]\s*(?:上接|接上|下转|转下|续上|续前|接第|转第)[^()（）]{0,10}[)）]")


def clean_line(line: str) -> str:
    line = _INVISIBLE.sub("", line)
    if "(" in line or "（" in line:
        line = _CONTINUATION.sub("", _PINYIN.sub("", line))
    line = _BOOKMARK.sub("", line)
    line = _MULTISPACE.sub(" ", line)
    return line.strip()


def is_page_number(line: str) -> bool:
    return bool(_PAGE_NUMBER.match(line.strip()))


def is_furniture(line: str) -> bool:
    return bool(_FURNITURE.search(line))


def normalise_lines(text: str) -> tuple[list[str], dict[str, str]]:
    """Split text into cleaned lines; drop noise lines. Returns the lines and web-page metadata found."""
    text = to_simplified(text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n"))
    lines: list[str] = []
    web_meta: dict[str, str] = {}
    for raw in text.split("\n"):
        line = clean_line(raw)
        if not line:
            lines.append("")
            continue
        squashed = squash_spaces(line)
        meta = WEB_METADATA.match(squashed)
        if meta:
            web_meta.setdefault(meta.group(1), meta.group(2).strip())
            continue
        if is_page_number(line) or is_furniture(squashed):
            continue
        lines.append(line)
    return lines, web_meta
