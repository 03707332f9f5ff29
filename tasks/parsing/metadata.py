"""Plan metadata from the lines outside the items: title, issuing body, year, document number, date."""

from __future__ import annotations

import datetime as dt
import re

from .numbers import cn_to_int

DOC_NUMBER = re.compile(
    r"[\u4e00-\u9fa5A-Za-z]{1,16}\s*[〔\[［(（【{]\s*((?:19|20)\d{2})\s*[〕\]］)）】}]\s*(?:第\s*)?\d{1,4}\s*号"
)
_DATE = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_CN_DATE = re.compile(
    r"([〇零○Ｏ一二三四五六七八九]{4})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日"
)
_ISO_DATE = re.compile(r"((?:19|20)\d{2})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")
_DATE_LINE = re.compile(
    r"^[(（]?\s*(?:(?:19|20)\d{2}年\d{1,2}月\d{1,2}日"
    r"|[〇零○Ｏ一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日)\s*[)）]?$"
)
_TITLE_WORDS = ("工作要点", "要点", "工作计划", "任务清单", "任务分解", "任务分解表", "实施方案", "工作安排",
                "情况报告", "工作报告", "重点任务", "主要任务", "计划", "方案", "清单", "一览表", "分解表", "任务表",
                "台账", "报告")
_ORG = re.compile(
    r"(?:人民政府办公室|人民政府办公厅|人民政府|办公室|办公厅|委员会|管理委员会|管委会|办事处|领导小组|"
    r"依法治[省市县区镇乡]办|司法局|司法厅|司法所|局|厅|委|办|院)$"
)
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_CN_YEAR = re.compile(r"([〇零○Ｏ一二三四五六七八九]{4})年")


def find_doc_number(lines: list[str], web: dict[str, str]) -> str | None:
    for key in ("发文字号", "文号"):
        if web.get(key):
            match = DOC_NUMBER.search(web[key])
            if match:
                return _clean_number(match.group(0))
    for line in lines:
        match = DOC_NUMBER.search(line)
        if match and (match.start() == 0 or len(line) <= 40) and "根据" not in line[: match.start()]:
            if "《" in line[: match.start()] and "》" not in line[: match.start()]:
                continue
            return _clean_number(match.group(0))
    return None


def _clean_number(text: str) -> str:
    return re.sub(r"^(?:发文字号|发文文号|文件编号|文号|字号|编号)", "", re.sub(r"\s+", "", text))


def parse_date(text: str) -> dt.date | None:
    for pattern, convert in ((_DATE, int), (_CN_DATE, cn_to_int), (_ISO_DATE, int)):
        match = pattern.search(text)
        if match:
            try:
                parts = [convert(g) for g in match.groups()]
                if None in parts:
                    continue
                return dt.date(parts[0], parts[1], parts[2])  # type: ignore[arg-type]
            except ValueError:
                continue
    return None


_MONTH_END = re.compile(
    r"(?:((?:19|20)\d{2})\s*年\s*)?(\d{1,2})\s*月\s*(?:底|末|份|前|中旬|上旬|下旬)|((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月"
)
_YEAR_END = re.compile(r"(?:((?:19|20)\d{2})\s*年\s*)?(?:年底|年末|全年|年内)")


def parse_deadline(text: str, year: int | None) -> dt.date | None:
    """"2023年12月31日" / "2023-06-30" / "6月底前" / "年底前" → a date (month ends for 月底); None otherwise."""
    text = text.strip()
    if not text:
        return None
    exact = parse_date(text)
    if exact:
        return exact
    match = _MONTH_END.search(text)
    if match and match.group(3):
        y, m = int(match.group(3)), int(match.group(4))
    elif match and (match.group(1) or year):
        y, m = int(match.group(1) or year), int(match.group(2))
    else:
        y = m = 0
    if m and 1 <= m <= 12:
        following = dt.date(y + (m == 12), m % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    match = _YEAR_END.search(text)
    if match and (match.group(1) or year):
        return dt.date(int(match.group(1) or year), 12, 31)
    return None


def find_title(lines: list[str], web: dict[str, str]) -> str | None:
    candidates: list[tuple[float, int, str]] = []
    for index, line in enumerate(lines):
        text = line.strip()
        if not text or "。" in text or text.endswith(("：", ":")) or len(text) > 70 or text.startswith("现将"):
            continue
        inner = re.search(r"《([^》]{4,60})》", text) or re.search(r"关于印发(.{4,60}?)的通知", text)
        if inner and (text.startswith(("关于", "印发")) or "关于印发" in text or "的通知" in text):
            title, rank = inner.group(1), 1
        elif "关于印发" in text or text.endswith("的通知"):
            continue
        else:
            title, rank = text, 0
            if index + 1 < len(lines) and _is_title_head(text):
                following = lines[index + 1].strip()
                if following.endswith(_TITLE_WORDS) and len(following) <= 30 and "。" not in following:
                    title, rank = text + following, 0.5
        # "…工作要点（2023年）", "…工作要点（征求意见稿）": the bracket after the name does not count.
        core = re.sub(r"[(（][^()（）]{1,12}[)）]$", "", title)
        word_rank = next((i for i, w in enumerate(_TITLE_WORDS) if core.endswith(w)), None)
        if word_rank is None:
            continue
        candidates.append((word_rank + rank, index, title))
    if candidates:
        return min(candidates)[2]
    for key in ("标题", "名称"):
        if web.get(key):
            return web[key]
    return None


def _is_title_head(text: str) -> bool:
    """The first line of a title broken in two ("2023年某某区法治政府建设" / "工作要点")."""
    return (
        len(text) <= 30
        and not any(w in text for w in _TITLE_WORDS)
        and not re.search(r"[()（）〔〕\[\]【】:：，,。]", text)
        and not is_org_line(text)
        and not is_date_line(text)
        and bool(re.search(r"\d{4}年|年度|法治|依法", text))
    )


def find_year(title: str | None, doc_number: str | None, issued_on: dt.date | None) -> int | None:
    if title:
        match = _YEAR.search(title)
        if match:
            return int(match.group(1))
        match = _CN_YEAR.search(title)
        if match:
            return cn_to_int(match.group(1))
    if doc_number:
        match = re.search(r"(?:19|20)\d{2}", doc_number)
        if match:
            return int(match.group(0))
    return issued_on.year if issued_on else None


def is_org_line(text: str) -> bool:
    text = text.strip()
    return 3 <= len(text) <= 40 and bool(_ORG.search(text)) and not re.search(r"[。，,；;：:、]", text)


def is_date_line(text: str) -> bool:
    return bool(_DATE_LINE.match(text.strip()))


def find_issue(lines: list[str], web: dict[str, str]) -> tuple[str | None, dt.date | None]:
    """(issuer, issue date): the signature block (an organ's name over a date line) wins."""
    issued_on = parse_date(web.get("成文日期", "")) if web.get("成文日期") else None
    issuer: str | None = web.get("发文机关") or web.get("发布机构") or None
    for index, line in enumerate(lines):
        if is_date_line(line):
            date = parse_date(line)
            previous = lines[index - 1].strip() if index > 0 else ""
            if is_org_line(previous):
                return previous, issued_on or date
            if issued_on is None:
                issued_on = date
    for line in lines:
        text = line.strip()
        if text.endswith("文件") and is_org_line(text[:-2]):
            return text[:-2], issued_on
        match = re.match(r"^(.{3,40}?)关于印发", text)
        if match and is_org_line(match.group(1)):
            return match.group(1), issued_on
    if issuer is None:
        issuer = next((line.strip() for line in lines if is_org_line(line) and len(line.strip()) >= 5), None)
    return issuer, issued_on
