"""A small scheme the assessment tests share, built through the services like the office would."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal as D

from accounts.models import Role, User
from assessment import services
from assessment.models import Category, Indicator, Scheme
from assessment.rules import RuleKind
from tasks.models import Unit, UnitKind
from tests.factories import UnitFactory, UserFactory

YEAR = 2026


@dataclass
class Small:
    scheme: Scheme
    depts: Category
    towns: Category
    filing: Indicator  # 文件备案, discretionary, 20, both categories, scored by ``scorer``
    on_time: Indicator  # 按时报送, rate 30 bound to on_time_rate, both
    cases: Indicator  # 案卷评查, per occurrence 5 capped at 20, of 50, departments only, scored by ``scorer2``
    bonus: Indicator  # 创新加分, ±3
    veto: Indicator  # 一票否决
    scorer: User
    scorer2: User
    court: Unit


def build_small(unit_a: Unit, unit_b: Unit, *, year: int = YEAR) -> Small:
    """Departments (unit_a) total 100; towns (unit_b) total 50 and are converted to 100."""
    court = UnitFactory(name="测试市人民法院", short_name="法院", kind=UnitKind.JUDICIAL)
    scorer = UserFactory(username="scorer", role=Role.LIAISON, unit=court, last_name="周", first_name="评分")
    scorer2 = UserFactory(username="scorer2", role=Role.LIAISON, unit=court, last_name="吴", first_name="评分")
    scheme = services.create_scheme(year=year, name=f"{year}年度测试市法治政府建设考核细则")
    depts = services.add_category(scheme=scheme, name="有执法职能部门", order=1)
    towns = services.add_category(scheme=scheme, name="乡镇街道", declared_total=D(50), order=2)
    services.set_memberships(scheme=scheme, assignments={unit_a.pk: depts, unit_b.pk: towns})

    def node(parent, level, title, points, **kw):
        return services.save_indicator(scheme=scheme, parent=parent, level=level, title=title, points=D(points), **kw)

    top1 = node(None, 1, "制度建设", 50)
    mid1 = node(top1, 2, "规范性文件管理", 50)
    filing = node(mid1, 3, "规范性文件按规定报送备案", 20, rule_kind=RuleKind.DISCRETIONARY, scoring_unit=court,
                  standard="全部按时备案得满分，部分备案酌情扣分。", evidence="备案登记表",
                  categories=[depts, towns], scorers=[scorer])
    on_time = node(mid1, 3, "进展报告按时报送", 30, rule_kind=RuleKind.RATE, measure="on_time_rate",
                   categories=[depts, towns])
    top2 = node(None, 1, "执法监督", 50)
    mid2 = node(top2, 2, "行政执法案卷评查", 50)
    cases = node(mid2, 3, "执法案卷评查合格", 50, rule_kind=RuleKind.PER_OCCURRENCE, deduction=D(5),
                 deduction_cap=D(20), categories=[depts], scorers=[scorer2])
    top3 = node(None, 1, "附加项", 3)
    mid3 = node(top3, 2, "加分和否决", 3)
    bonus = node(mid3, 3, "法治创新获上级肯定", 3, rule_kind=RuleKind.BONUS, categories=[depts, towns])
    veto = node(mid3, 3, "发生重大违法行政案件", 0, rule_kind=RuleKind.VETO, categories=[depts, towns])
    return Small(scheme, depts, towns, filing, on_time, cases, bonus, veto, scorer, scorer2, court)


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
