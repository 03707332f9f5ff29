"""Finding unit clauses in an item's text and splitting them into unit names.

A unit clause names who does the work: ``(牵头单位:市委依法治市办、市委组织部,责任单位:各区镇)``,
``【牵头单位】县司法局``, a line ``责任单位：县政府办公室、县司法局`` or, in some documents,
``（市司法局牵头，各镇配合）``. Unit names are returned as written (spaces inside Chinese removed),
never invented: every name is a piece of the clause text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .normalize import UNIT_SUFFIX, squash_spaces, starts_unit_name

LEAD = "lead"
RESPONSIBLE = "responsible"
OTHER = "other"
IGNORED = "ignored"

_ROLE_WORDS = {
    "牵头": LEAD,
    "主办": LEAD,
    "主责": LEAD,
    "责任": RESPONSIBLE,
    "实施": RESPONSIBLE,
    "承办": RESPONSIBLE,
    "落实": RESPONSIBLE,
    "配合": OTHER,
    "协办": OTHER,
    "协助": OTHER,
    "协同": OTHER,
    "参与": OTHER,
    "参加": OTHER,
}
_ROLE_ALT = "|".join(_ROLE_WORDS)
_NOUN_ALT = "单位|部门|处室|科室|主体|机关"
# 责任领导 / 分管领导 name people, not units: recognised so their names are not read as units.
_PEOPLE_ALT = "(?:牵头|责任|分管|联系)(?:领导|人)|(?:完成|时间)(?:时限|节点|要求)|完成时间"

# A label anywhere: "牵头单位:", "【责任单位】", "责任部门：".
LABEL = re.compile(
    rf"[【\[〔]?[ \t]*(?:(?P<role>{_ROLE_ALT})\s*(?:{_NOUN_ALT}|(?=\s*[:：]))|(?P<people>{_PEOPLE_ALT}))"
    r"\s*[】\]〕]?\s*(?P<colon>[:：])?"
)
# A line that is (or starts as) a unit clause of its own.
UNIT_LINE = re.compile(
    rf"^[【\[(（〔]?\s*(?:{_ROLE_ALT})\s*(?:{_NOUN_ALT}|(?=\s*[:：]))\s*[】\]〕]?\s*(?:[:：]|[】\]〕])"
)
_OPEN = "(（"
_CLOSE = ")）"
_SEPARATORS = "、，,;；/／\n"
_TRIM = " \t\n:：、，,;；。.／/\"“”'‘’【】[]〔〕"
# "市司法局牵头" / "各镇（街道）按职责分工负责" / "市公安局配合" inside a clause without labels.
_VERB_CLAUSE = re.compile(
    rf"^(?P<units>.+?)(?:共同|分别|按职责|按照职责|按职责分工|依职责)?(?P<verb>{_ROLE_ALT}|负责|落实)$"
)
# Words that betray a sentence rather than a unit name.
_SENTENCE_HINT = re.compile(r"[。！？]|推进|加强|开展|完善|健全|落实好|做好|提升|建立")


# "市司法局市财政局": a unit's ending followed by the start of another (no separator between them).
_GLUED = re.compile(r"(?:局|院|部门|中心)(?=[市县区镇乡各])")


@dataclass
class UnitLists:
    lead: list[str] = field(default_factory=list)
    responsible: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # what looked wrong, for warnings
    deadlines: list[str] = field(default_factory=list)  # time phrases found inside the clause ("9月底前完成")

    def add(self, role: str, names: list[str]) -> None:
        target = {LEAD: self.lead, RESPONSIBLE: self.responsible, OTHER: self.other}.get(role)
        if target is None:
            return
        for name in names:
            if name not in target:
                target.append(name)

    def merge(self, other: UnitLists) -> None:
        self.add(LEAD, other.lead)
        self.add(RESPONSIBLE, other.responsible)
        self.add(OTHER, other.other)
        self.problems.extend(other.problems)
        self.deadlines.extend(other.deadlines)

    @property
    def empty(self) -> bool:
        return not (self.lead or self.responsible or self.other)


_MAX_CLAUSE = 600  # a bracket still open this far on is not closed by anything a clause could hold


def _matching_close(text: str, start: int) -> int | None:
    """Index of the bracket closing the one at ``start`` (either width), or None when it never closes."""
    depth = 0
    for i in range(start, min(len(text), start + _MAX_CLAUSE)):
        ch = text[i]
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth -= 1
            if depth == 0:
                return i
    return None


def split_names(text: str, *, spaces_separate: bool = False, notes: list[str] | None = None) -> list[str]:
    """Split a list of units on 、，,;； (and newlines), never inside brackets; trim each name.

    A name joined by 及/和/与 to another complete name or a collective one ("县司法局及相关部门") is
    read as two units, always; ``notes`` collects a sentence for each such reading, for a warning.
    """
    names: list[str] = []
    depth = 0
    current: list[str] = []
    for ch in text:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        if depth == 0 and ch in _SEPARATORS:
            names.append("".join(current))
            current = []
        else:
            current.append(ch)
    names.append("".join(current))
    result: list[str] = []
    for raw in names:
        raw = _cut_qualifier(raw)
        pieces = _split_on_spaces(raw) if spaces_separate else [raw]
        for piece in pieces:
            whole = _trim_name(squash_spaces(piece))
            parts = _split_on_and(whole)
            if len(parts) > 1 and notes is not None:
                notes.append(f"“{whole}”按{_COUNT.get(len(parts), len(parts))}个单位读取（{'、'.join(parts)}）")
            for name in parts:
                if name and name not in result and not _ONLY_QUALIFIER.fullmatch(name):
                    result.append(name)
    return result


def _cut_qualifier(raw: str) -> str:
    """"各镇 按职责分工 负责" → "各镇 ": the qualifier after the last name goes, stray spaces and all (it must
    go before the spaces are read as separators, or its pieces would look like names)."""
    if not raw or raw.rstrip()[-1:] not in _QUALIFIER_ENDS:
        return raw
    flat = re.sub(r"\s+", "", raw)
    match = _QUALIFIER_TAIL.search(flat)
    if not match or match.start() < 2:
        return raw
    kept = flat[: match.start()]
    if match.group(0).startswith("等") and not (looks_complete(kept) or kept.endswith(_CLOSE_TUPLE)
                                               or kept.startswith("各")):
        return raw
    count = 0
    for index, ch in enumerate(raw):
        if not ch.isspace():
            if count == len(kept):
                return raw[:index]
            count += 1
    return raw


_AND = re.compile(r"[和及与]")
_COUNT = {2: "两", 3: "三", 4: "四"}
# Collective names that follow 及/和 in unit lists: "县司法局及相关部门", "市公安局和各镇".
_COLLECTIVE = ("相关", "有关", "其他", "其它", "各")


def _split_on_and(name: str) -> list[str]:
    """"市司法局和市公安局" is two units; "市人力资源和社会保障局" is one (its first part is no unit)."""
    for match in _AND.finditer(name):
        left, right = name[: match.start()], name[match.end() :]
        collective = right.startswith(_COLLECTIVE)
        if len(left) >= 3 and looks_complete(left) and (starts_unit_name(right) or collective) \
                and looks_complete(right) and (right[0] in "市县区镇乡省州各中" or collective):
            return [left, *_split_on_and(right)]
    return [name]


def _split_on_spaces(text: str) -> list[str]:
    """In table cells a space often separates two units; a short fragment is a stray space instead."""
    tokens = text.split()
    if len(tokens) < 2:
        return [text]
    merged: list[str] = []
    carry = ""
    for index, token in enumerate(tokens):
        token = carry + token
        carry = ""
        is_last = index == len(tokens) - 1
        if starts_unit_name(token) and (not merged or looks_complete(merged[-1])):
            merged.append(token)
        elif merged and not looks_complete(merged[-1]):
            merged[-1] += token  # "市司法 局": the tail of the previous name
        elif not is_last:
            carry = token  # "市 司法局": the head of the next name
        elif merged:
            merged[-1] += token
        else:
            merged.append(token)
    return merged


def looks_complete(name: str) -> bool:
    return bool(UNIT_SUFFIX.search(name))


def _trim_name(name: str) -> str:
    name = name.strip(_TRIM)
    # An unbalanced bracket at either end is residue of the clause, not part of the name.
    while name and name[-1] in _CLOSE and _balance(name) < 0:
        name = name[:-1].strip(_TRIM)
    while name and name[0] in _OPEN and _balance(name) > 0:
        name = name[1:].strip(_TRIM)
    return name


def _balance(text: str) -> int:
    return sum(1 for c in text if c in _OPEN) - sum(1 for c in text if c in _CLOSE)


def parse_labelled(text: str, *, spaces_separate: bool = False) -> UnitLists:
    """Read a clause with labels: "牵头单位:A、B,责任单位:C" → lead [A, B], responsible [C]."""
    result = UnitLists()
    matches = [m for m in LABEL.finditer(text) if _is_label_here(text, m)]
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        segment = text[match.end():end]
        if match.group("people"):
            continue
        role = _ROLE_WORDS[match.group("role")]
        segment = re.sub(r"^\s*(?:为|是)(?=\S{2})", "", segment)  # "牵头单位为市司法局"
        for name in split_names(segment, spaces_separate=spaces_separate, notes=result.problems):
            if TIME_PHRASE.search(name) and not looks_complete(name):
                result.deadlines.append(name)
                continue
            name_role, name = _role_from_verb(name, role)
            if len(name) > 40 or _SENTENCE_HINT.search(name):
                result.problems.append(f"“{name[:20]}”不像单位名称")
                if len(name) > 40:
                    continue
            elif _GLUED.search(name):
                result.problems.append(f"“{name}”可能是几个单位连在一起写的")
            result.add(name_role, [name])
    return result


# "按职责分工分别负责", "分别负责", "按职能分工负责", "共同落实" after the last name: not part of it.
_QUALIFIER = (r"(?:共同|分别|各自|(?:按照?|依照?|根据)?职[责能](?:分工)?)*(?:负责|落实)"
              r"|(?:按照?|依照?|根据)职[责能](?:分工)?")
_VERB_ENDS = frozenset("头合助办与责实工能）)")  # the last characters of every verb below: a cheap test first
# A qualifier standing alone after a space ("市委组织部 按职责分工负责"): it belongs to no name.
_ONLY_QUALIFIER = re.compile(rf"(?:{_QUALIFIER}|等(?:有关|相关)?(?:单位|部门|机构)?)")
_QUALIFIER_TAIL = re.compile(rf"(?:{_QUALIFIER}|等(?:有关|相关)?(?:单位|部门|机构)?)$")
_QUALIFIER_ENDS = frozenset("责实工能等位门构")
_TRAILING_VERB = re.compile(
    rf"^(?P<name>.+?)\s*[（(]?(?P<verb>牵头|配合|协助|协办|参与|{_QUALIFIER})[）)]?$"
)
# "县发改局、县市场监管局等部门": the list ends with 等 + a noun that names no unit.
_ETC = re.compile(r"等(?:有关|相关)?(?:单位|部门|机构)?$")
_CLOSE_TUPLE = (")", "）")
# A time phrase inside the unit clause ("9月底前完成", "年底前", "长期坚持") is the item's deadline.
TIME_PHRASE = re.compile(
    r"(?:\d{1,4}|[一二三四五六七八九十〇]{1,4})\s*[年月日季]|年底|年末|年内|年中|长期|持续|常态化|前完成|完成$|前$"
)


def _role_from_verb(name: str, role: str) -> tuple[str, str]:
    """"市司法局牵头" inside a 责任单位 list is a lead unit; "各镇按职责分工负责" is just "各镇"."""
    if "等" in name:
        stripped = _ETC.sub("", name)
        if stripped != name and len(stripped) >= 2 and (
                looks_complete(stripped) or stripped.endswith(_CLOSE_TUPLE) or stripped.startswith("各")):
            name = stripped
    if not name or name[-1] not in _VERB_ENDS:
        return role, name
    match = _TRAILING_VERB.match(name)
    if not match or len(match.group("name")) < 2:
        return role, name
    verb = match.group("verb")
    if verb == "牵头":
        return LEAD, match.group("name").strip()
    if verb in ("配合", "协助", "协办", "参与"):
        return OTHER, match.group("name").strip()
    return role, match.group("name").strip()


def _is_label_here(text: str, match: re.Match[str]) -> bool:
    """A label with a colon (or in 【】) counts anywhere; a bare label only where the clause opens."""
    has_colon = bool(match.group("colon")) or match.group(0).rstrip(": ：").endswith(("】", "]", "〕"))
    if has_colon:
        return True
    before = text[: match.start()].rstrip(" \t\n")
    return not before or before[-1] in _OPEN


def has_label(text: str) -> bool:
    return any(_is_label_here(text, m) and not m.group("people") for m in LABEL.finditer(text))


def parse_verb_clause(text: str) -> UnitLists | None:
    """Read "市司法局牵头，各镇（街道）配合" style clauses; None when the text is not such a clause."""
    parts = [p for p in re.split(r"[，,;；]", squash_spaces(text)) if p.strip()]
    if not parts:
        return None
    result = UnitLists()
    for part in parts:
        match = _VERB_CLAUSE.match(part.strip(_TRIM))
        if not match:
            return None
        verb = match.group("verb")
        role = _ROLE_WORDS.get(verb, RESPONSIBLE)
        names = split_names(match.group("units"))
        if not names or any(len(n) > 30 or _SENTENCE_HINT.search(n) for n in names):
            return None
        result.add(role, names)
    if not result.lead:
        return None  # "各部门负责" alone is too weak a signal to call it a clause
    return result


@dataclass
class Clause:
    start: int
    end: int  # exclusive; the clause text is text[start:end]
    units: UnitLists
    closed: bool = True


def find_clauses(text: str) -> list[Clause]:
    """Unit clauses inside an item's text: bracketed ones, 【label】 ones, and trailing "label:" runs."""
    clauses: list[Clause] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in _OPEN:
            close = _matching_close(text, i)
            inner = text[i + 1 : close] if close is not None else text[i + 1 :]
            head = inner.lstrip(" \t\n")
            if UNIT_LINE.match(head) or (LABEL.match(head) and has_label(head)):
                units = parse_labelled(inner, spaces_separate=True)
                end = close + 1 if close is not None else len(text)
                clauses.append(Clause(i, end, units, closed=close is not None))
                i = end
                continue
            if close is not None and _is_trailing(text, close):
                verb_units = parse_verb_clause(inner)
                if verb_units is None:
                    verb_units = parse_unit_list(inner)
                if verb_units is not None:
                    clauses.append(Clause(i, close + 1, verb_units))
                    i = close + 1
                    continue
            i = (close + 1) if close is not None else i + 1
            continue
        i += 1
    # Labels outside brackets: from the first label that starts a sentence or line to the end.
    covered = [(c.start, c.end) for c in clauses]
    for match in LABEL.finditer(text):
        if any(s <= match.start() < e for s, e in covered) or match.group("people"):
            continue
        if not _is_label_here(text, match) or (not match.group("colon") and "】" not in match.group(0)):
            continue
        before = text[: match.start()].rstrip(" \t")
        if before and before[-1] not in "。；;\n】]":
            continue
        end = next((s for s, _e in covered if s > match.start()), len(text))
        clauses.append(Clause(match.start(), end, parse_labelled(text[match.start():end], spaces_separate=True)))
        break
    if text.rstrip(" \t\n。.；;，,")[-1:] in _CLOSE:
        lost = _lost_opening(text)
        # A "协办单位：…）" line of a clause that lost its "（牵头单位：" is part of the lost clause.
        if lost is not None and all(c.end <= lost.start or c.start >= lost.start for c in clauses):
            clauses = [c for c in clauses if c.end <= lost.start] + [lost]
    clauses.sort(key=lambda c: c.start)
    return clauses


# Words that open a parenthetical that is no unit list: "（含下属单位）", "（以下简称…）", "（详见附件）".
_NOT_A_LIST = re.compile(r"^(?:含|包括|不含|以下|下称|简称|详见|见|即|如|例如|注|其中|试行|暂行|草案|征求意见)")
_COLLECTIVE_NAME = re.compile(r"^(?:各|有关|相关|其他|其它)|(?:有关|相关|各)(?:单位|部门)$")


def is_unit_name(name: str) -> bool:
    """A name that can stand in an unlabelled list: an organ's suffix or a collective, no sentence, no date."""
    if not 2 <= len(name) <= 30 or _SENTENCE_HINT.search(name) or TIME_PHRASE.search(name):
        return False
    if re.search(r"[“”\"《》:：]|\d", name):
        return False
    return looks_complete(name) or bool(_COLLECTIVE_NAME.search(name))


def parse_unit_list(text: str) -> UnitLists | None:
    """A trailing bracket without labels whose every part is a unit name ("（县政府办、县司法局）"): the
    responsible units. None for other parentheticals ("（试行）", "（以下简称…）", dates)."""
    flat = squash_spaces(text).strip(_TRIM)
    if not flat or _NOT_A_LIST.match(flat):
        return None
    result = UnitLists()
    names = split_names(flat, notes=result.problems)
    for raw in names:
        if TIME_PHRASE.search(raw) and not looks_complete(raw) and raw is not names[0]:
            result.deadlines.append(raw)  # "（县司法局、各乡镇，9月底前完成）"
            continue
        role, name = _role_from_verb(raw, RESPONSIBLE)
        if not is_unit_name(name):
            return None
        result.add(role, [name])
    if len(names) == 1 and not re.match(r"^(?:各|[市县区镇乡省州])", names[0]) and len(names[0]) < 4:
        return None  # "（市区）", "（本部）": too weak alone
    return None if result.empty else result


def _lost_opening(text: str) -> Clause | None:
    """"……政务服务。区司法局，责任单位：区政府各有关部门）": a clause whose "（牵头单位：" was lost in
    extraction. Read from the last sentence end to the unmatched closing bracket, with a warning."""
    stripped = text.rstrip(" \t\n。.；;，,")
    if not stripped or stripped[-1] not in _CLOSE or _balance(stripped) >= 0:
        return None
    # From the last full stop (a "；" may separate the clause's own labels; a line break may sit inside it).
    start = stripped.rfind("。", 0, len(stripped) - 1) + 1 or stripped.rfind("\n", 0, len(stripped) - 1) + 1
    if start == 0:
        return None
    inner = stripped[start:-1]
    if not inner.strip() or len(inner) > _MAX_CLAUSE:
        return None
    labels = [m for m in LABEL.finditer(inner) if _is_label_here(inner, m) and not m.group("people")]
    head = inner[: labels[0].start()] if labels else inner
    head_names = split_names(head)
    if labels and head.strip(_TRIM) and all(is_unit_name(n) for n in head_names):
        units = parse_labelled("牵头单位：" + inner, spaces_separate=True)
        units.problems.append(f"单位括注缺少开头的括号和“牵头单位”标签，已把“{'、'.join(head_names)}”读作牵头单位")
    elif labels and not head.strip(_TRIM):
        units = parse_labelled(inner, spaces_separate=True)
        units.problems.append("单位括注缺少开头的括号")
    else:
        found = parse_unit_list(inner)
        if found is None:
            return None
        units = found
        units.problems.append("单位括注缺少开头的括号")
    if units.empty:
        return None
    return Clause(start, len(text), units)


def _is_trailing(text: str, close: int) -> bool:
    """True when only punctuation or space follows position ``close`` (up to the end or a newline)."""
    rest = text[close + 1 :]
    rest = rest.split("\n", 1)[0]
    return not rest.strip(" 。.；;，,")
