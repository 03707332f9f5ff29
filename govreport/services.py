"""Every write on the government's report. Views, the command and the demo call these functions.

Each is keyword-only and atomic. A refused call raises ``GovReportError`` (Chinese message) and
changes nothing. Editing is allowed only while the report is 起草中; approval fixes the text; a
publication is a frozen copy, so edits after it never reach the public page unless published again.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import User
from fazhi.limits import LONG_TEXT, check_length
from fazhi.worker import run_in_background
from govreport import compiling
from govreport.cachekeys import bump_govreport_version
from govreport.models import (
    DOC_NUMBER_MAX,
    GovReport,
    Part,
    Publication,
    ReportState,
    Section,
    SectionVersion,
    Submission,
    VersionAction,
)
from govreport.outline import content_json, default_title, numbered_headings
from reports.models import Report
from reports.models import ReportState as UnitReportState
from tasks.models import Government

DOC_NUMBER_RE = re.compile(
    r"^(?P<prefix>[\u4e00-\u9fff]{1,12})[〔\[［(（](?P<year>\d{4})[〕\]］)）]第?(?P<number>\d{1,5})号$"
)


class GovReportError(ValidationError):
    """A rule refused the operation; the message is meant for the user."""


class StaleSectionError(GovReportError):
    """Someone saved the section since the editor was opened. ``current`` holds what they saved."""

    def __init__(self, current: Section) -> None:
        super().__init__("在您编辑期间，此部分已被他人修改并保存。您的文字尚未保存：请对照下方两份文字，合并后再保存。")
        self.current = current


class StaleReportError(GovReportError):
    def __init__(self, current: GovReport) -> None:
        super().__init__("在您编辑期间，报告信息已被他人修改并保存。您的修改尚未保存，请核对后重新提交。")
        self.current = current


def parse_doc_number(value: str) -> str:
    """A 文号 as GB/T 9704 prints it (``江政呈〔2027〕3号``); ``[]``/``（）`` brackets are normalised.

    Raises ``GovReportError`` for anything that is not 机关代字 + 〔年份〕 + 序号 + 号.
    """
    value = re.sub(r"\s+", "", value or "")
    match = DOC_NUMBER_RE.match(value)
    if not match or len(value) > DOC_NUMBER_MAX:
        raise GovReportError(f"文号“{value[:40]}”无法识别：应写作机关代字〔年份〕序号号，如“江政呈〔2027〕3号”。")
    number = int(match["number"])
    if number == 0 or not 2000 <= int(match["year"]) <= 2100:
        raise GovReportError(f"文号“{value}”中的年份或序号不正确。")
    return f"{match['prefix']}〔{match['year']}〕{number}号"


# ---------------------------------------------------------------------------------------------
# Compiling and editing


def _require_draft(report: GovReport) -> None:
    if report.state not in ReportState.editable():
        raise GovReportError(f"报告{report.get_state_display()}，不能再修改；如需修改，请先“退回起草”。")


def _locked(report: GovReport) -> GovReport:
    # of=self: PostgreSQL cannot lock the nullable side of the outer join to leadership_unit.
    return (GovReport.objects.select_for_update(of=("self",)).select_related("government__leadership_unit")
            .get(pk=report.pk))


def _heading_for(part: str, year: int) -> str:
    if part == Part.NEXT_YEAR:
        return f"{year + 1}年主要工作安排"
    return Part(part).label


def _add_version(section: Section, action: str, user: User | None) -> None:
    number = (section.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    SectionVersion.objects.create(section=section, number=number, action=action, text=section.text, saved_by=user)


@transaction.atomic
def compile_report(*, government: Government, year: int, user: User | None) -> GovReport:
    """Create the year's report with every section prefilled; on an existing draft add missing sections.

    Existing sections are never overwritten here (a clerk's edits stay); "refill" does that one section
    at a time. Raises ``GovReportError`` when the government has no plan that year.
    """
    # Fresh from the database: the caller's copy may predate a change of the 第一责任人 unit.
    government = Government.objects.select_related("leadership_unit").get(pk=government.pk)
    compiled = compiling.gather(government, year)
    if not compiled.has_plan:
        raise GovReportError(f"{government.name}{year}年没有已印发的工作要点，无法汇编年度报告。")
    report, created = GovReport.objects.get_or_create(
        government=government, year=year,
        defaults={"title": f"{government.name}关于{year}年度法治政府建设情况的报告",
                  "recipients": government.recipients, "signature": government.header_text, "updated_by": user},
    )
    report = _locked(report)
    if not created:
        _require_draft(report)
        compiled = compiling.gather(government, year, included=report.included_reports)
    existing = list(report.sections.all())
    have_parts = {s.part for s in existing if s.part != Part.MEASURES}
    have_items = {s.item_id for s in existing if s.item_id}
    # Sections are numbered in steps of 10 000 per part so items added later slot in without renumbering.
    wanted: list[Section] = []
    for index, part in enumerate(Part.values):
        base = index * 10_000
        if part == Part.MEASURES:
            for n, entry in enumerate(compiled.items, start=1):
                if entry.item.pk in have_items:
                    continue
                text, _ = compiling.item_text(entry)
                chapter = entry.item.chapter
                wanted.append(Section(report=report, part=part, order=base + n, item=entry.item, chapter=chapter,
                                      chapter_title=chapter.title if chapter else "", heading=entry.item.title,
                                      text=text, has_gap=compiling.has_marker(text), updated_by=user))
        elif part not in have_parts:
            text, _ = compiling.part_text(compiled, part)
            wanted.append(Section(report=report, part=part, order=base, heading=_heading_for(part, year),
                                  text=text, has_gap=compiling.has_marker(text), updated_by=user))
    taken = {s.order for s in existing}
    for section in wanted:
        while section.order in taken:
            section.order += 1
        taken.add(section.order)
        section.save()
        _add_version(section, VersionAction.COMPILED, user)
    report.compiled_at = timezone.now()
    report.updated_by = user
    report.save(update_fields=["compiled_at", "updated_by", "updated_at"])
    return report


def refill_text(section: Section) -> str:
    """What "refill from sources" would put in the section now (nothing is written)."""
    report = section.report
    if section.part == Part.MEASURES:
        if section.item_id is None:
            return section.text
        compiled = compiling.gather(report.government, report.year, included=report.included_reports,
                                    item_ids=[section.item_id])
        entry = compiled.for_item(section.item_id)
        return compiling.item_text(entry)[0] if entry else section.text
    if section.part in (Part.OTHER, Part.LEADERSHIP):  # no item is needed for these
        compiled = compiling.gather(report.government, report.year, item_ids=[])
        return compiling.part_text(compiled, section.part)[0]
    compiled = compiling.gather(report.government, report.year, included=report.included_reports)
    return compiling.part_text(compiled, section.part)[0]


def _locked_section(section: Section) -> Section:
    return Section.objects.select_for_update(of=("self",)).select_related("report__government__leadership_unit").get(
        pk=section.pk)


@transaction.atomic
def save_section(*, section: Section, text: str, expected_version: int, user: User | None,
                 action: str = VersionAction.EDITED) -> Section:
    """Save one section's text. A save from a stale editor is refused (``StaleSectionError``)."""
    check_length(text, LONG_TEXT, section.heading[:30] or "正文")
    current = _locked_section(section)
    _require_draft(current.report)
    if current.version != expected_version:
        raise StaleSectionError(current)
    text = text.replace("\r\n", "\n").strip()
    if text == current.text and action == VersionAction.EDITED:
        return current
    current.text = text
    current.has_gap = compiling.has_marker(text)
    current.version += 1
    current.updated_by = user
    current.save()
    _add_version(current, action, user)
    return current


@transaction.atomic
def refill_section(*, section: Section, expected_version: int, user: User | None) -> Section:
    """Replace one section's text with what its sources give now (after the user saw the difference)."""
    current = _locked_section(section)
    return save_section(section=current, text=refill_text(current), expected_version=expected_version, user=user,
                        action=VersionAction.REFILLED)


@transaction.atomic
def set_source_included(*, report: GovReport, source_report_id: int, include: bool, user: User | None) -> GovReport:
    """Use (or stop using) a not-yet-approved unit report in the text; takes effect on refill."""
    report = _locked(report)
    _require_draft(report)
    if include and not Report.objects.filter(
            pk=source_report_id, obligation__period__plan__government=report.government,
            obligation__period__plan__year=report.year).exclude(state=UnitReportState.DRAFT).exists():
        raise GovReportError("没有找到该单位报告，或它不属于本报告的年度。")
    chosen = [pk for pk in report.included_reports if pk != source_report_id]
    if include:
        chosen.append(source_report_id)
    report.included_reports = sorted(chosen)
    report.updated_by = user
    report.save(update_fields=["included_reports", "updated_by", "updated_at"])
    return report


META_FIELDS = ("title", "doc_number", "signer", "recipients", "signature", "written_on", "cc", "printer",
               "printed_on")


@transaction.atomic
def update_report_details(*, report: GovReport, data: dict, expected_version: int, user: User | None) -> GovReport:
    """Title, 文号, 签发人, 主送, 落款, 成文日期, 抄送, 印发机关/日期."""
    doc_number = parse_doc_number(data["doc_number"]) if (data.get("doc_number") or "").strip() else ""
    current = _locked(report)
    _require_draft(current)
    if current.version != expected_version:
        raise StaleReportError(current)
    for name in META_FIELDS:
        setattr(current, name, data.get(name) if name != "doc_number" else doc_number)
    current.title = (current.title or "").strip() or default_title(current)
    current.version += 1
    current.updated_by = user
    current.full_clean()
    current.save()
    return current


# ---------------------------------------------------------------------------------------------
# Approval, submission, publication


@dataclass
class Problem:
    message: str
    section_id: int | None = None
    kind: str = "detail"  # "empty" (a required part), "marker" (a section still marked), "detail" (文号, 主送…)
    label: str = ""  # for a detail: what to fill in


def problems_summary(problems: list[Problem]) -> str:
    """One line for the top of the report page: a fresh compile has a marker in nearly every item section, and
    thirty-odd lines above the text hid it (the list itself goes in a <details>, each beside its section)."""
    counted = {kind: sum(1 for p in problems if p.kind == kind) for kind in ("empty", "marker", "detail")}
    parts = []
    if counted["empty"]:
        parts.append(f"{counted['empty']} 个必填部分为空")
    if counted["marker"]:
        parts.append(f"{counted['marker']} 个部分仍有【待补充】或【半年报】标记")
    if counted["detail"]:
        parts.append("尚未填写" + "、".join(p.label for p in problems if p.kind == "detail"))
    return "；".join(parts)


def completeness_problems(report: GovReport) -> list[Problem]:
    """Why the report cannot be approved or published yet; empty when it can."""
    problems: list[Problem] = []
    sections = list(report.sections.in_order())
    headings = numbered_headings(sections)
    for part in Part.required():
        of_part = [s for s in sections if s.part == part]
        if not of_part or not any(s.text.strip() for s in of_part):
            problems.append(Problem(f"“{Part(part).label}”部分为空，请填写后再提交。",
                                    of_part[0].pk if of_part else None, "empty"))
    for section in sections:
        if compiling.has_marker(section.text):
            shown = headings.get(section.pk, Part(section.part).label)
            problems.append(Problem(f"“{shown}”仍有【待补充】或【半年报】标记，请核实并修改。", section.pk, "marker"))
    if not report.doc_number:
        problems.append(Problem("请填写文号。", label="文号"))
    if not report.recipient_list:
        problems.append(Problem("请填写主送机关。", label="主送机关"))
    if not report.written_on:
        problems.append(Problem("请填写成文日期。", label="成文日期"))
    return problems


def _refuse_incomplete(report: GovReport, what: str) -> None:
    problems = completeness_problems(report)
    if problems:
        raise GovReportError([f"不能{what}：{p.message}" for p in problems])


@transaction.atomic
def approve_report(*, report: GovReport, approved_on: dt.date, meeting: str, user: User | None) -> GovReport:
    """Record that the government approved the text (e.g. at its 常务会议); the text is then fixed."""
    report = _locked(report)
    _require_draft(report)
    _refuse_incomplete(report, "审议通过")
    check_length(meeting, 100, "审议会议")
    report.state = ReportState.APPROVED
    report.approved_on = approved_on
    report.approved_at_meeting = meeting.strip()
    report.updated_by = user
    report.save()
    return report


@transaction.atomic
def reopen_report(*, report: GovReport, user: User | None) -> GovReport:
    """Back to 起草中 to change the text. A live publication stays as published until withdrawn."""
    report = _locked(report)
    if report.state == ReportState.PUBLISHED:
        raise GovReportError("报告已公开：请先撤回公开，再退回起草。")
    if report.state == ReportState.DRAFT:
        return report
    report.state = ReportState.DRAFT
    report.approved_on = None
    report.approved_at_meeting = ""
    report.updated_by = user
    report.save()
    return report


@transaction.atomic
def record_submission(*, report: GovReport, recipient: str, doc_number: str, submitted_on: dt.date,
                      note: str = "", user: User | None) -> Submission:
    report = _locked(report)
    if report.state not in ReportState.final():
        raise GovReportError("报告审议通过后才能登记报送。")
    recipient = recipient.strip()
    if not recipient:
        raise GovReportError("请填写主送机关。")
    check_length(recipient, 100, "主送机关")
    check_length(note, 200, "备注")
    if report.submissions.filter(recipient=recipient).exists():
        raise GovReportError(f"已登记向“{recipient}”的报送。")
    return Submission.objects.create(report=report, recipient=recipient, doc_number=parse_doc_number(doc_number),
                                     submitted_on=submitted_on, note=note.strip(), recorded_by=user)


BUILD_PUBLICATION = "govreport.services.build_publication_docx"


@transaction.atomic
def publish_report(*, report: GovReport, user: User | None, now: dt.datetime | None = None) -> Publication:
    """Publish the approved text: a frozen copy for /public/ and the portal; the .docx is built off the request."""
    report = _locked(report)
    if report.state == ReportState.DRAFT:
        raise GovReportError("报告须先审议通过（登记常务会议等审议日期）才能公开。")
    if report.state == ReportState.PUBLISHED:
        raise GovReportError("报告已公开。")
    _refuse_incomplete(report, "公开")
    sections = list(report.sections.in_order())
    publication = Publication.objects.create(
        report=report, title=report.title, government_name=report.government.name, year=report.year,
        doc_number=report.doc_number, written_on=report.written_on, content=content_json(report, sections),
        published_at=now or timezone.now(), published_by=user,
    )
    report.state = ReportState.PUBLISHED
    report.updated_by = user
    report.save()
    transaction.on_commit(partial(_dispatch_docx, publication.pk))
    return publication


def _dispatch_docx(publication_id: int) -> None:
    try:
        run_in_background(BUILD_PUBLICATION, publication_id=publication_id)
    except Exception:  # the publication stands; the page offers to build the file again
        import logging

        logging.getLogger(__name__).exception("Could not build the .docx of publication %s", publication_id)


def build_publication_docx(*, publication_id: int) -> None:
    """Build and store the published copy's .docx (permanent storage). Safe to run twice."""
    from django.core.files.base import ContentFile

    from govreport.documents import publication_docx

    publication = Publication.objects.select_related("report__government").filter(pk=publication_id).first()
    if publication is None or publication.docx:
        return
    content = publication_docx(publication)
    publication.docx.save(f"{publication.pk}.docx", ContentFile(content), save=False)
    Publication.objects.filter(pk=publication.pk, docx="").update(docx=publication.docx.name)
    bump_govreport_version()  # update() sends no signal; the report page shows the file link


@transaction.atomic
def unpublish_report(*, report: GovReport, user: User | None) -> GovReport:
    """Withdraw the public copy. The publication record (who, when, what) stays."""
    report = _locked(report)
    if report.state != ReportState.PUBLISHED:
        raise GovReportError("报告当前未公开。")
    publication = report.publications.select_for_update().get(withdrawn_at__isnull=True)
    publication.withdrawn_at = timezone.now()
    publication.withdrawn_by = user
    publication.save(update_fields=["withdrawn_at", "withdrawn_by"])
    report.state = ReportState.WITHDRAWN
    report.updated_by = user
    report.save()
    return report


@transaction.atomic
def record_portal(*, publication: Publication, url: str, published_on: dt.date, user: User | None) -> Publication:
    """Where and when the government's portal carries the report."""
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    publication.portal_url = url.strip()
    publication.portal_on = published_on
    publication.full_clean()
    publication.save(update_fields=["portal_url", "portal_on"])
    return publication


# ---------------------------------------------------------------------------------------------
# Governments


@transaction.atomic
def update_government(*, government: Government, data: dict, user: User | None) -> Government:
    government = Government.objects.select_for_update().get(pk=government.pk)
    for name in ("name", "red_header", "doc_prefix", "recipients", "leadership_unit", "parent"):
        if name in data:
            setattr(government, name, data[name])
    if government.parent_id and government.parent_id == government.pk:
        raise GovReportError("上级政府不能是其本身。")
    government.full_clean()
    government.save()
    return government


@transaction.atomic
def save_government(*, government: Government, data: dict, user: User | None, template: bytes | None = None,
                    template_name: str = "", clear_template: bool = False) -> Government:
    """The government's settings and, in the same transaction, its template: all saved or nothing."""
    government = update_government(government=government, data=data, user=user)
    if template is not None:
        government = set_government_template(government=government, data=template, filename=template_name,
                                             user=user)
    elif clear_template:
        government = set_government_template(government=government, data=None, filename="", user=user)
    return government


@transaction.atomic
def set_government_template(*, government: Government, data: bytes | None, filename: str,
                            user: User | None) -> Government:
    """Store (or with ``data=None`` remove) the office's own Word template, checked before it is kept."""
    from django.core.files.base import ContentFile

    from fazhi import officialdoc
    from fazhi.containers import TEMPLATE_LIMITS, ContainerRefused, check_docx

    government = Government.objects.select_for_update().get(pk=government.pk)
    old = government.template.name if government.template else ""
    if data is None:
        government.template = ""
        government.template_name = ""
    else:
        try:
            check_docx(data, TEMPLATE_LIMITS, label="模板")
            officialdoc.validate_template(data)
        except ContainerRefused as exc:
            raise GovReportError(str(exc)) from exc
        except ValidationError as exc:
            raise GovReportError(exc.messages) from exc
        except ValueError as exc:
            raise GovReportError(str(exc)) from exc
        government.template.save("template.docx", ContentFile(data), save=False)
        government.template_name = filename[-200:]
    government.save(update_fields=["template", "template_name"])
    if old:
        transaction.on_commit(partial(government.template.storage.delete, old))
    return government
