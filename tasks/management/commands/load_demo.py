"""Load the demo registry, plan and users. Safe to run on every start: a second run changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from accounts.models import Role, User
from accounts.services import create_user
from tasks import demo_data
from tasks.models import Alias, Plan, PlanStatus, Unit, UnitGroup
from tasks.parsing.numbers import int_to_cn, item_label
from tasks.services import (
    add_alias,
    create_chapter,
    create_group,
    create_item,
    create_plan,
    create_unit,
)


class Command(BaseCommand):
    help = "载入演示数据（单位、单位集合、本年度演示工作要点和演示账号）。重复运行不会重复创建。"

    reports_loaded = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="在 DEBUG 关闭时也载入（仅用于演示环境）。")
        parser.add_argument("--print-logins", action="store_true", help="只打印演示账号表，不载入数据。")

    def handle(self, *args: Any, force: bool = False, print_logins: bool = False, **options: Any) -> None:
        if print_logins:
            self.print_logins()
            return
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG 已关闭：演示数据只用于本地或演示环境。确需载入请加 --force。")
        created = self.load()
        if self.reports_loaded:
            # After commit: the units' year-end report submissions send their review notices on commit
            # (reports.services_annual), so only now is there everything to settle.
            from reports.demo import settle_demo_notices

            settle_demo_notices()
        if created:
            self.stdout.write(self.style.SUCCESS("演示数据已载入：" + "，".join(created) + "。"))
        else:
            self.stdout.write("演示数据已存在，未做任何更改。")

    @transaction.atomic
    def load(self) -> list[str]:
        created: list[str] = []
        units = self.load_units(created)
        groups = self.load_groups(units, created)
        self.load_plan(units, groups, created)
        self.load_users(units, created)
        reports_loaded = self.load_reports(created)
        self.load_previous_year(units, groups, created)
        self.load_assessment(created)
        # Only the run that wrote the history settles the notices (in ``handle``, after commit): later runs
        # leave what users read alone.
        self.reports_loaded = reports_loaded
        return created

    def load_previous_year(self, units: dict[str, Unit], groups: dict[str, UnitGroup], created: list[str]) -> None:
        """Last year, complete: its plan, closed periods, approved reports and the published government report."""
        from govreport.demo import load_demo_government_report  # a higher app, called from the top

        year = dt.date.today().year - 1
        self.load_plan(units, groups, created, year=year)
        plan = Plan.objects.filter(year=year, doc_number=demo_data.PLAN["doc_number"].format(year=year)).first()
        coordinator = User.objects.filter(username="coordinator").first()
        if plan is not None and coordinator is not None:
            created += load_demo_government_report(plan=plan, coordinator=coordinator)

    def load_assessment(self, created: list[str]) -> None:
        from assessment.demo import load_demo_assessment  # assessment builds on tasks, not the other way round

        coordinator = User.objects.filter(username="coordinator").first()
        if coordinator is not None:
            created += load_demo_assessment(year=dt.date.today().year, coordinator=coordinator)

    def load_reports(self, created: list[str]) -> bool:
        from reports.demo import load_demo_reports  # reports builds on tasks, not the other way round

        year = dt.date.today().year
        plan = Plan.objects.filter(year=year, doc_number=demo_data.PLAN["doc_number"].format(year=year)).first()
        coordinator = User.objects.filter(username="coordinator").first()
        if plan is None or coordinator is None:
            return False
        loaded = load_demo_reports(plan=plan, coordinator=coordinator)
        created += loaded
        return bool(loaded)

    def load_units(self, created: list[str]) -> dict[str, Unit]:
        units = {u.name: u for u in Unit.objects.all()}
        new_units = new_aliases = 0
        for order, (name, short_name, kind, aliases) in enumerate(demo_data.UNITS, start=1):
            if name not in units:
                units[name] = create_unit(name=name, short_name=short_name, kind=kind, order=order * 10)
                new_units += 1
            for alias in aliases:
                if not Alias.objects.filter(name=alias).exists():
                    add_alias(name=alias, unit=units[name])
                    new_aliases += 1
        if new_units:
            created.append(f"{new_units} 个单位")
        if new_aliases:
            created.append(f"{new_aliases} 个单位别名")
        return units

    def load_groups(self, units: dict[str, Unit], created: list[str]) -> dict[str, UnitGroup]:
        groups = {g.name: g for g in UnitGroup.objects.all()}
        count = 0
        for order, (name, description, selector, aliases) in enumerate(demo_data.GROUPS, start=1):
            if name in groups:
                continue
            if isinstance(selector, list):
                members = [units[n] for n in selector]
            else:
                kinds = selector.split("+")
                members = [u for u in units.values() if u.kind in kinds]
            groups[name] = create_group(name=name, description=description, order=order * 10, members=members)
            for alias in aliases:
                if not Alias.objects.filter(name=alias).exists():
                    add_alias(name=alias, group=groups[name])
            count += 1
        if count:
            created.append(f"{count} 个单位集合")
        return groups

    def resolve(self, name: str, units: dict[str, Unit], groups: dict[str, UnitGroup]) -> tuple[Unit | UnitGroup, str]:
        if name in units:
            return units[name], ""
        if name in groups:
            return groups[name], ""
        alias = Alias.objects.select_related("unit", "group").get(name=name)
        return alias.unit or alias.group, name  # keep the name as the document wrote it

    def load_plan(self, units: dict[str, Unit], groups: dict[str, UnitGroup], created: list[str],
                  year: int | None = None) -> None:
        year = year or dt.date.today().year
        doc_number = demo_data.PLAN["doc_number"].format(year=year)
        if Plan.objects.filter(year=year, doc_number=doc_number).exists():
            return
        plan = create_plan(
            title=demo_data.PLAN["title"].format(year=year),
            year=year,
            issuer=demo_data.PLAN["issuer"],
            doc_number=doc_number,
            issued_on=dt.date(year, 3, 18),
            status=PlanStatus.ISSUED,
            source_text=self.source_text(year),
        )
        seq = 0
        for chapter_title, items in demo_data.CHAPTERS:
            chapter = create_chapter(plan=plan, title=chapter_title)
            for title, body, lead, responsible in items:
                seq += 1
                create_item(
                    plan=plan, chapter=chapter, seq=seq, title=title, body=body,
                    lead=[self.resolve(n, units, groups) for n in lead],
                    responsible=[self.resolve(n, units, groups) for n in responsible],
                )
        created.append(f"{year} 年演示工作要点（{len(demo_data.CHAPTERS)} 章 {seq} 项）")

    def source_text(self, year: int) -> str:
        """The plan as the printed document would read, so the original text can be shown and parsed."""
        lines = [
            "各镇人民政府、街道办事处，江川经济开发区、江川高新区、滨湖旅游度假区管委会，市各委办局：",
            f"现将《{year}年江川市法治政府建设工作要点》印发给你们，请认真抓好落实。",
            demo_data.PLAN["issuer"],
            f"{year}年3月18日",
            demo_data.PLAN["title"].format(year=year),
        ]
        seq = 0
        for chapter_no, (chapter_title, items) in enumerate(demo_data.CHAPTERS, start=1):
            lines.append(f"{int_to_cn(chapter_no)}、{chapter_title}")
            for title, body, lead, responsible in items:
                seq += 1
                lines.append(f"{item_label(seq)}{title}。{body}(牵头单位:{'、'.join(lead)},"
                             f"责任单位:{'、'.join(responsible)})")
        return "\n".join(lines)

    def load_users(self, units: dict[str, Unit], created: list[str]) -> None:
        count = 0
        for spec in demo_data.DEMO_USERS:
            if User.objects.filter(username=spec["username"]).exists():
                continue
            create_user(
                username=spec["username"], role=spec["role"], password=settings.FAZHI_DEMO_PASSWORD,
                unit=units.get(spec["unit"]) if spec["unit"] else None,
                last_name=spec["last_name"], first_name=spec["first_name"],
                # The demo coordinator may also open the Django admin.
                is_staff=spec["role"] == Role.COORDINATOR, is_superuser=spec["role"] == Role.COORDINATOR,
            )
            count += 1
        if count:
            created.append(f"{count} 个演示账号")

    def print_logins(self) -> None:
        users = {u.username: u for u in User.objects.select_related("unit").filter(
            username__in=[s["username"] for s in demo_data.DEMO_USERS])}
        if not users:
            self.stdout.write("尚无演示账号：请先运行 manage.py load_demo。")
            return
        rows = [("用户名", "角色", "单位", "密码")]
        for spec in demo_data.DEMO_USERS:
            user = users.get(spec["username"])
            if user is not None:
                rows.append((user.username, user.get_role_display(), user.unit.name if user.unit else "—",
                             settings.FAZHI_DEMO_PASSWORD))
        self.stdout.write("  演示账号：")
        for row in rows:
            self.stdout.write("    " + "".join(_pad(cell, width) for cell, width in zip(row, (16, 16, 18, 0),
                                                                                       strict=True)))


def _pad(text: str, width: int) -> str:
    # CJK characters take two columns in a terminal.
    shown = sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
    return text + " " * max(width - shown, 1) if width else text
