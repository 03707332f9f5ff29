"""Synthetic data at scale, written fast: COPY on PostgreSQL, executemany on SQLite.

Every synthetic plan's issuer starts with ``（模拟）`` and every synthetic unit's name with the
jurisdiction's ``模拟…`` name, so the data never collides with ``load_demo`` and ``/dashboard/``
keeps opening the real current plan. Rows are generated in Python with explicit ids (after the
current maximum of each table) and streamed to the database in large batches; the ORM's
per-row machinery (signals, history, ``save()``) is deliberately bypassed, so these rows have no
django-simple-history entries and their attachments have metadata but no files.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.utils import timezone

from accounts.models import Role, User
from reports.models import Attachment, Obligation, Period, Report, ReportEvent
from tasks.models import Assignment, Chapter, Duty, Plan, Unit, UnitGroup, WorkItem

SYNTHETIC_ISSUER_PREFIX = "（模拟）"


@dataclass(frozen=True)
class Scale:
    jurisdictions: int
    years: int = 5
    items: int = 44


SCALES = {
    "small": Scale(jurisdictions=1),  # ≈ 10,000 reports
    "city": Scale(jurisdictions=10),  # ≈ 100,000 reports: a city and its districts
    "province": Scale(jurisdictions=100),  # ≈ 1,000,000 reports
}

CHAPTERS = ["依法全面履行政府职能", "完善依法行政制度体系", "推进严格规范公正文明执法", "强化行政权力制约监督",
            "依法有效化解社会矛盾纠纷", "加强法治政府建设组织保障"]
VERBS = ["深化", "推进", "健全", "完善", "加强", "规范", "落实", "优化"]
TOPICS = ["行政审批制度改革", "重大行政决策程序", "行政规范性文件管理", "合法性审核机制", "综合行政执法改革",
          "行政执法三项制度", "行政复议体制改革", "政务公开标准化", "法治化营商环境建设", "基层法治建设",
          "公共法律服务体系", "行政机关负责人出庭应诉", "府院联动机制", "法治督察", "执法人员培训",
          "信用监管", "包容审慎监管", "矛盾纠纷多元化解", "法律顾问制度", "数字法治政府建设"]
DEPARTMENTS = ["司法局", "发展改革委", "教育局", "科技局", "工业和信息化局", "公安局", "民政局", "财政局",
               "人力资源社会保障局", "自然资源局", "生态环境局", "住房城乡建设局", "交通运输局", "水务局",
               "农业农村局", "商务局", "文化广电旅游局", "卫生健康委", "应急管理局", "审计局", "市场监管局",
               "统计局", "医保局", "城管局", "信访局", "政务服务管理办公室", "数据局", "退役军人事务局"]
PARTY = ["委办公室", "委组织部", "委宣传部", "委政法委"]
JUDICIAL = ["人民法院", "人民检察院"]
STATES_PAST = [("missing", 2), ("draft", 1), ("returned", 2), ("submitted", 5), ("approved", 90)]
STATES_OPEN = [("missing", 35), ("draft", 15), ("returned", 5), ("submitted", 25), ("approved", 20)]
# 未能按期完成 is rare per report (one such report turns the whole item red).
PROGRESS_YEAR_END = [("completed", 850), ("in_progress", 137), ("delayed", 8), ("not_started", 5)]
PROGRESS_HALF = [("completed", 180), ("in_progress", 775), ("delayed", 5), ("not_started", 40)]
PROGRESS_OPEN = [("completed", 200), ("in_progress", 725), ("delayed", 5), ("not_started", 70)]


def _weighted(rng: random.Random, table: list[tuple[str, int]]) -> Callable[[], str]:
    names = [name for name, _ in table]
    cum, total = [], 0
    for _, weight in table:
        total += weight
        cum.append(total)

    def pick() -> str:
        x = rng.random() * total
        for name, edge in zip(names, cum, strict=True):
            if x < edge:
                return name
        return names[-1]

    return pick


class Sink:
    """Rows of one table, streamed in batches; columns not given get the field's default."""

    BATCH = 50_000

    def __init__(self, model: type[models.Model], fields: Sequence[str]):
        self.model = model
        self.table = model._meta.db_table
        given = [model._meta.get_field(name) for name in fields]
        now = timezone.now()
        rest = []
        for field in model._meta.concrete_fields:
            if field in given or (field.primary_key and isinstance(field, models.AutoField)):
                continue
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                rest.append((field, now))
            elif field.has_default():
                rest.append((field, field.get_default()))
            elif field.null:
                rest.append((field, None))
            elif isinstance(field, models.FileField | models.CharField | models.TextField):
                rest.append((field, ""))
            else:
                raise ValueError(f"{model.__name__}.{field.name} needs a value in the seed")
        self.columns = [f.column for f in given] + [f.column for f, _ in rest]
        self.tail = tuple(value for _, value in rest)
        self.rows: list[tuple] = []
        self.count = 0
        self.next_id = (model.objects.aggregate(m=models.Max("id"))["m"] or 0) + 1
        self.pg = connection.vendor == "postgresql"

    def take_id(self) -> int:
        value = self.next_id
        self.next_id += 1
        return value

    def add(self, row: tuple) -> None:
        self.rows.append(row + self.tail)
        if len(self.rows) >= self.BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        quote = connection.ops.quote_name
        cols = ", ".join(quote(c) for c in self.columns)
        with connection.cursor() as cursor:
            if self.pg:
                buffer = io.StringIO()
                fmt = _COPY_FORMAT
                buffer.writelines("\t".join([fmt[type(v)](v) for v in row]) + "\n" for row in self.rows)
                buffer.seek(0)
                cursor.cursor.copy_expert(f"COPY {quote(self.table)} ({cols}) FROM STDIN", buffer)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                rows = [tuple(map(_sqlite_value, row)) for row in self.rows]
                cursor.executemany(f"INSERT INTO {quote(self.table)} ({cols}) VALUES ({marks})", rows)
        self.count += len(self.rows)
        self.rows = []

    def finish(self) -> None:
        self.flush()
        if self.pg and self.count:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT MAX(id) FROM {self.table}))",
                    [self.table],
                )


def _sqlite_value(value: object) -> object:
    # Django keeps SQLite datetimes as naive UTC text; dates as ISO text.
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _copy_text(value: str) -> str:
    if "\\" in value or "\t" in value or "\n" in value:
        return value.replace("\\", "\\\\").replace("\t", " ").replace("\n", "\\n")
    return value


# COPY text format by type: a dict lookup per value is much cheaper than an isinstance chain.
_COPY_FORMAT: dict[type, Callable[[object], str]] = {
    type(None): lambda v: "\\N",
    bool: lambda v: "t" if v else "f",
    int: str,
    str: _copy_text,
    dt.datetime: dt.datetime.isoformat,
    dt.date: dt.date.isoformat,
}


def _copy_value(value: object) -> str:
    return _COPY_FORMAT[type(value)](value)


def synthetic_plans() -> models.QuerySet[Plan]:
    return Plan.objects.filter(issuer__startswith=SYNTHETIC_ISSUER_PREFIX)


@transaction.atomic
def seed(scale: Scale, *, today: dt.date | None = None, seed_value: int = 20260101,
         log: Callable[[str], None] = print) -> dict[str, int]:
    today = today or timezone.localdate()
    rng = random.Random(seed_value)
    tz = timezone.get_current_timezone()
    first_year = today.year - scale.years + 1
    start = synthetic_jurisdictions()

    sinks = {
        "unit": Sink(Unit, ["id", "name", "short_name", "kind", "is_active", "order"]),
        "group": Sink(UnitGroup, ["id", "name", "description", "order"]),
        "member": Sink(UnitGroup.members.through, ["unitgroup", "unit"]),
        "plan": Sink(Plan, ["id", "title", "year", "issuer", "doc_number", "issued_on", "status"]),
        "chapter": Sink(Chapter, ["id", "plan_id", "seq", "number", "title"]),
        "item": Sink(WorkItem, ["id", "plan_id", "chapter_id", "seq", "number", "title", "body", "deadline"]),
        "assignment": Sink(Assignment, ["id", "item_id", "role", "unit_id", "group_id", "written_as", "order"]),
        "duty": Sink(Duty, ["id", "item_id", "unit_id", "role"]),
        "period": Sink(Period, ["id", "plan_id", "name", "kind", "due_on", "scope", "status", "opened_at",
                                "closed_at"]),
        "obligation": Sink(Obligation, ["id", "period_id", "item_id", "unit_id", "role", "created_at"]),
        "report": Sink(Report, ["id", "obligation_id", "state", "progress", "percent", "measures", "problems",
                                "next_steps", "delay_reason", "is_late", "submitted_at", "first_submitted_at",
                                "reviewed_at", "review_comment", "version", "created_at", "updated_at"]),
        "event": Sink(ReportEvent, ["id", "report_id", "action", "from_state", "to_state", "at", "comment"]),
        "attachment": Sink(Attachment, ["id", "report_id", "file", "original_name", "size", "content_type",
                                        "uploaded_at"]),
    }
    s = sinks
    cn_numbers = "一二三四五六七八九十"

    def cn(n: int) -> str:
        if n <= 10:
            return cn_numbers[n - 1]
        tens, ones = divmod(n, 10)
        return (cn_numbers[tens - 1] if tens > 1 else "") + "十" + (cn_numbers[ones - 1] if ones else "")

    def at(day: dt.date, hour: int | None = None) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour if hour is not None else rng.randint(8, 18),
                                                rng.randint(0, 59)), tz)

    for j in range(start, start + scale.jurisdictions):
        jname = f"模拟{j + 1:03d}市" if j % 10 == 0 else f"模拟{j // 10 + 1:03d}市第{j % 10}区"
        issuer = f"{SYNTHETIC_ISSUER_PREFIX}{jname}人民政府办公室"
        # Units: departments, party offices, courts, towns and parks of this jurisdiction.
        units: list[tuple[int, str]] = []
        specs = ([(d, "government") for d in DEPARTMENTS] + [(p, "party") for p in PARTY]
                 + [(x, "judicial") for x in JUDICIAL] + [(f"第{n}镇（街道）", "town") for n in range(1, 11)]
                 + [("经济开发区", "park"), ("高新区", "park")])
        for order, (short, kind) in enumerate(specs):
            uid = s["unit"].take_id()
            s["unit"].add((uid, f"{jname}{short}", short, kind, True, 10_000 + order))
            units.append((uid, kind))
        towns = [u for u, k in units if k == "town"]
        depts = [u for u, k in units if k in ("government", "party", "judicial", "park")]
        gid_towns = s["group"].take_id()
        s["group"].add((gid_towns, f"{jname}各镇（街道）", "全部镇（街道）", 1))
        for u in towns:
            s["member"].add((gid_towns, u))

        for year in range(first_year, today.year + 1):
            pid = s["plan"].take_id()
            s["plan"].add((pid, f"{year}年{jname}法治政府建设工作要点", year, issuer,
                           f"模{j + 1}政办〔{year}〕{rng.randint(1, 90)}号", dt.date(year, 3, rng.randint(1, 28)),
                           "archived" if year < today.year else "issued"))
            chapter_ids = []
            for c, title in enumerate(CHAPTERS, start=1):
                cid = s["chapter"].take_id()
                s["chapter"].add((cid, pid, c, cn(c), title))
                chapter_ids.append(cid)
            items = []  # (item_id, deadline, [(unit_id, role)])
            for n in range(1, scale.items + 1):
                iid = s["item"].take_id()
                title = f"{rng.choice(VERBS)}{rng.choice(TOPICS)}"
                deadline = dt.date(year, 6, 30) if rng.random() < 0.1 else dt.date(year, 12, 31)
                s["item"].add((iid, pid, chapter_ids[min((n - 1) * len(CHAPTERS) // scale.items, 5)], n,
                               f"（{cn(n)}）", title, f"{title}，明确责任分工，按期完成各项任务。", deadline))
                leads = rng.sample(depts, rng.choice((1, 1, 2)))
                responsible = [u for u in rng.sample(depts, rng.randint(13, 19)) if u not in leads]
                duties = [(u, "lead") for u in leads] + [(u, "responsible") for u in responsible]
                for order, u in enumerate(leads):
                    s["assignment"].add((s["assignment"].take_id(), iid, "lead", u, None, "", order))
                for order, u in enumerate(responsible, start=len(leads)):
                    s["assignment"].add((s["assignment"].take_id(), iid, "responsible", u, None, "", order))
                if rng.random() < 0.8:  # most items also name "各镇（街道）"
                    s["assignment"].add((s["assignment"].take_id(), iid, "responsible", None, gid_towns, "",
                                         len(duties)))
                    duties += [(u, "responsible") for u in towns]
                for u, role in duties:
                    s["duty"].add((s["duty"].take_id(), iid, u, role))
                items.append((iid, deadline, duties))

            for kind, name, due in (("half_year", f"{year}年半年报", dt.date(year, 7, 10)),
                                    ("year_end", f"{year}年年终报告", dt.date(year + 1, 1, 10))):
                opened = dt.date(year, 6, 1) if kind == "half_year" else dt.date(year, 11, 15)
                if opened > today:
                    continue
                past = due < today
                period_id = s["period"].take_id()
                s["period"].add((period_id, pid, name, kind, due, "all", "closed" if past else "open",
                                 at(opened, 9), at(due + dt.timedelta(days=20), 17) if past else None))
                pick_state = _weighted(rng, STATES_PAST if past else STATES_OPEN)
                pick_progress = _weighted(rng, PROGRESS_OPEN if not past else
                                          PROGRESS_YEAR_END if kind == "year_end" else PROGRESS_HALF)
                window = max(1, min((today - opened).days, (due - opened).days))
                for iid, _deadline, duties in items:
                    for u, role in duties:
                        oid = s["obligation"].take_id()
                        s["obligation"].add((oid, period_id, iid, u, role, at(opened, 9)))
                        state = pick_state()
                        if state == "missing":
                            continue
                        _report(s, rng, at, oid, state, pick_progress(), opened, due, window, today, past)
                        # (state, dates and events are generated together so they agree)
        log(f"  {jname}: {s['report'].count + len(s['report'].rows)} reports so far")

    for sink in sinks.values():
        sink.finish()
    _users(start, scale)
    return {name: sink.count for name, sink in sinks.items()}


def _report(s, rng, at, oid, state, progress, opened, due, window, today, past) -> None:
    late = past and state != "draft" and rng.random() < 0.12
    if state == "draft":
        submitted = None
    elif late:
        submitted = at(due + dt.timedelta(days=rng.randint(1, 15)))
    else:
        day = opened + dt.timedelta(days=rng.randint(0, window - 1))
        submitted = at(min(day, today))
    if progress == "completed":
        percent = 100
    elif progress == "not_started":
        percent = 0
    else:
        percent = rng.randint(20, 90)
    rid = s["report"].take_id()
    returned_once = state == "approved" and rng.random() < 0.1
    reviewed = submitted + dt.timedelta(days=rng.randint(1, 6)) if state in ("approved", "returned") else None
    last_submit = submitted
    if returned_once and reviewed:
        last_submit = reviewed + dt.timedelta(days=2)
        reviewed = last_submit + dt.timedelta(days=1)
    if reviewed and reviewed.date() > today:
        reviewed = at(today, 9)
    s["report"].add((
        rid, oid, state, progress, percent,
        f"{'已完成全部任务' if progress == 'completed' else '持续推进'}，召开专题会议{rng.randint(1, 9)}次，"
        f"制定配套制度{rng.randint(1, 5)}项，办理相关事项{rng.randint(10, 900)}件。",
        "基层力量仍较薄弱。" if rng.random() < 0.5 else "", "继续抓好落实。",
        "受上级政策调整影响，需延期完成。" if progress == "delayed" else "",
        late, last_submit, submitted, reviewed, "请补充佐证材料。" if state == "returned" else "",
        1, at(opened), reviewed or last_submit or at(opened),
    ))
    if submitted is None:
        return
    ev = s["event"]
    ev.add((ev.take_id(), rid, "submitted", "draft", "submitted", submitted, ""))
    if returned_once:
        ev.add((ev.take_id(), rid, "returned", "submitted", "returned", last_submit - dt.timedelta(days=2),
                "请补充佐证材料。"))
        ev.add((ev.take_id(), rid, "submitted", "returned", "submitted", last_submit, ""))
    if state == "returned":
        ev.add((ev.take_id(), rid, "returned", "submitted", "returned", reviewed, "请补充佐证材料。"))
    elif state == "approved":
        ev.add((ev.take_id(), rid, "approved", "submitted", "approved", reviewed, ""))
    if rng.random() < 0.35:
        att = s["attachment"]
        for k in range(rng.choice((1, 1, 2))):
            att.add((att.take_id(), rid, f"attachments/seed/{rid}-{k}.pdf", f"佐证材料{k + 1}.pdf",
                     rng.randint(40_000, 4_000_000), "application/pdf", submitted))


def _users(start: int, scale: Scale) -> None:
    """A leader, a coordinator and one liaison per jurisdiction (for the benchmarks' personas)."""
    password = make_password("Fazhi@2026")
    wanted = [("sim_leader", Role.LEADER, None), ("sim_coordinator", Role.COORDINATOR, None)]
    first_units = (
        Unit.objects.filter(name__endswith="司法局", name__startswith="模拟")
        .order_by("id").values_list("id", flat=True)[start:start + scale.jurisdictions]
    )
    wanted += [(f"sim_liaison_{start + k + 1:03d}", Role.LIAISON, uid) for k, uid in enumerate(first_units)]
    existing = set(User.objects.filter(username__in=[w[0] for w in wanted]).values_list("username", flat=True))
    User.objects.bulk_create([
        User(username=name, role=role, unit_id=unit, password=password, last_name="模拟", first_name=name[4:])
        for name, role, unit in wanted if name not in existing
    ])


def synthetic_jurisdictions() -> int:
    return synthetic_plans().values("issuer").distinct().count()


# --- Activity: the tables that grow with use (audit log, security events, notices, exports) -------------
ACTIVITY_MARK = "fazhi-seed"
ACTIVITY_PER_JURISDICTION = {"change": 3_000, "event": 1_000, "coordinator_notice": 100, "liaison_notice": 50,
                             "export": 20}
ACTIVITY_DAYS = 400


@transaction.atomic
def seed_activity(scale: Scale, *, seed_value: int = 20260102) -> dict[str, int]:
    """Audit entries, security events, notices and export jobs for each synthetic jurisdiction that lacks them.

    Spread over the last ``ACTIVITY_DAYS`` days, so that "the last 30 days" holds a realistic share. Marked
    with ``cid = ACTIVITY_MARK`` (audit entries), which is how a rerun counts what is already there.
    """
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    from audit.models import SecurityEvent
    from exports.models import ExportJob
    from reports.models import Notice

    per = ACTIVITY_PER_JURISDICTION
    have = LogEntry.objects.filter(cid=ACTIVITY_MARK).count() // per["change"]
    missing = scale.jurisdictions - have
    if missing <= 0:
        return {}
    rng = random.Random(seed_value + have)
    now = timezone.now()
    users = dict(User.objects.filter(username__startswith="sim_").values_list("username", "id"))
    coordinator = users.get("sim_coordinator")
    liaisons = [uid for name, uid in sorted(users.items()) if name.startswith("sim_liaison_")]
    report_type = ContentType.objects.get_for_model(Report).pk
    sinks = {
        "change": Sink(LogEntry, ["id", "object_pk", "object_id", "object_repr", "action", "changes", "changes_text",
                                  "timestamp", "actor_id", "content_type_id", "remote_addr", "cid"]),
        "event": Sink(SecurityEvent, ["id", "at", "kind", "user_id", "username", "ip_address", "method", "path",
                                      "user_agent", "detail"]),
        "notice": Sink(Notice, ["id", "user_id", "title", "body", "url", "created_at", "read_at"]),
        "export": Sink(ExportJob, ["id", "kind", "params", "title", "requested_by_id", "state", "file", "size",
                                   "created_at", "finished_at"]),
    }
    reports = list(Report.objects.order_by("-id").values_list("id", flat=True)[:5_000]) or [0]

    def when() -> dt.datetime:
        return now - dt.timedelta(seconds=rng.randint(0, ACTIVITY_DAYS * 86_400))

    for j in range(have, have + missing):
        for _ in range(per["change"]):
            rid = rng.choice(reports)
            old, new = rng.randint(0, 90), rng.randint(10, 100)
            s = sinks["change"]
            s.add((s.take_id(), str(rid), rid, f"模拟报告 {rid}", 1,
                   f'{{"percent": ["{old}", "{new}"], "measures": ["持续推进", "召开专题会议{new}次"]}}', "",
                   when(), rng.choice(liaisons) if liaisons and rng.random() < 0.8 else coordinator,
                   report_type, f"10.0.{rng.randint(0, 255)}.{rng.randint(1, 254)}", ACTIVITY_MARK))
        for _ in range(per["event"]):
            s = sinks["event"]
            uid = rng.choice(liaisons) if liaisons else coordinator
            s.add((s.take_id(), when(), "login", uid, f"sim_user_{uid}", f"10.0.{rng.randint(0, 255)}.1", "POST",
                   "/accounts/login/", "Mozilla/5.0", ""))
        liaison = liaisons[j % len(liaisons)] if liaisons else None
        for uid, count in ((coordinator, per["coordinator_notice"]), (liaison, per["liaison_notice"])):
            if uid is None:
                continue
            for _ in range(count):
                s = sinks["notice"]
                created = when()
                s.add((s.take_id(), uid, "报告已报送，等待审核", "模拟通知。", "/reports/", created,
                       created + dt.timedelta(hours=2) if rng.random() < 0.9 else None))
        if coordinator:
            for _ in range(per["export"]):
                s = sinks["export"]
                created = when()
                s.add((s.take_id(), "period_xlsx", '{"period": 1}', "报送期次汇总表.xlsx", coordinator, "done",
                       "exports/seed/summary.xlsx", 12_345, created, created + dt.timedelta(seconds=20)))
    for sink in sinks.values():
        sink.finish()
    return {name: sink.count for name, sink in sinks.items()}
