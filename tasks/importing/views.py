"""Import screens: upload or paste, the editable preview beside the source, confirm. Coordinators only."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from fazhi.fragments import cached_part, render_part
from tasks.cachekeys import registry_version
from tasks.importing.drafts import PlaceRefused, PlanDraft, place_text
from tasks.importing.forms import (
    BulkCreateForm,
    ChapterFormSet,
    ItemForm,
    ItemFormSet,
    NameChoiceForm,
    NameChoiceFormSet,
    PlaceTextForm,
    PlanMetaForm,
    UploadForm,
    draft_from_forms,
    name_choices,
)
from tasks.importing.preview import build_preview
from tasks.importing.resolve import Registry, resolve_name
from tasks.importing.services import (
    NameChoice,
    confirm_import,
    discard_import,
    find_existing_plan,
    mapping_of,
    save_import_edits,
    start_import,
)
from tasks.importing.sources import read_source
from tasks.models import DocumentImport, ImportSource, ImportStatus, Plan, PlanStatus, UnitKind


def _require_coordinator(user: User) -> None:
    if not user.is_coordinator:
        raise PermissionDenied("只有法治办工作人员可以导入工作要点。")


def get_import_for_user(user: User, pk: int, *, defer: tuple[str, ...] = ()) -> DocumentImport:
    """A pending import, visible only to the coordinator who uploaded it."""
    _require_coordinator(user)
    return get_object_or_404(DocumentImport.objects.defer(*defer), pk=pk, owner=user)


def _plan_url(plan: Plan) -> str:
    return reverse("tasks:plan_detail", args=[plan.pk])


@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    _require_coordinator(request.user)
    errors: list[str] = []
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data.get("file")
        source = data.get("source", ImportSource.PASTE)
        result = read_source(source=source, content=data.get("content", b""), text=data.get("text", ""))
        if result.draft is not None:
            document_import = start_import(user=request.user, source=source,
                                           filename=upload.name if upload else "", draft=result.draft)
            return redirect("tasks:import_preview", pk=document_import.pk)
        errors = result.errors
    pending = DocumentImport.objects.filter(owner=request.user, status=ImportStatus.PENDING)[:10]
    status = 400 if request.method == "POST" else 200
    return render(request, "tasks/import/upload.html",
                  {"form": form, "errors": errors, "pending": pending}, status=status)


def _preview_context(document_import: DocumentImport, draft: PlanDraft, registry: Registry,
                     meta: PlanMetaForm, chapters, items, names) -> dict:
    preview = build_preview(draft, mapping_of(document_import), registry)
    # Hand each item view its form (forms are indexed like the draft's items).
    for view in preview.items:
        view.form = items.forms[view.index] if view.index < len(items.forms) else None
    for view, form in zip(preview.unresolved, names.forms, strict=False):
        view.form = form
    existing = find_existing_plan(draft)
    return {
        "document_import": document_import, "draft": draft, "preview": preview, "meta_form": meta,
        "chapter_formset": chapters, "item_formset": items, "name_formset": names, "existing": existing,
        "can_update": existing is not None and existing.status == PlanStatus.DRAFT,
        "bulk_form": BulkCreateForm(), "undecided": [v for v in preview.unresolved if not v.decided],
    }


def _forms(document_import: DocumentImport, draft: PlanDraft, registry: Registry, data=None):
    mapping = mapping_of(document_import)
    preview_names = [n for n in draft.names() if resolve_name(n, registry) is None]
    chapter_choices = [(c.number, f"{c.number}、{c.title}" if c.number else c.title) for c in draft.chapters]
    meta = PlanMetaForm(data, prefix="plan", initial=PlanMetaForm.initial_for(draft))
    chapters = ChapterFormSet(data, prefix="chapters",
                              initial=[{"number": c.number, "title": c.title} for c in draft.chapters])
    items = ItemFormSet(data, prefix="items", initial=[ItemForm.initial_for(i) for i in draft.items],
                        form_kwargs={"chapter_choices": chapter_choices})
    names = NameChoiceFormSet(data, prefix="names",
                              initial=[NameChoiceForm.initial_for(n, mapping.get(n)) for n in preview_names],
                              form_kwargs={"choices": name_choices(registry)})
    return meta, chapters, items, names


PROBLEMS_SHOWN = 8


def _problems_message(meta, chapters, items, names) -> str:
    """Name what needs fixing (which item, which unit name, which field), not only "有内容需要修改": on a long
    preview the red fields may be far below the banner."""
    problems: list[str] = []

    def field_errors(form, where: str) -> None:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            text = "；".join(errors)
            problems.append(f"{where}{label + '：' if label else ''}{text}" if where or label else text)

    field_errors(meta, "")
    for n, form in enumerate(chapters.forms, start=1):
        field_errors(form, f"第 {n} 章")
    for n, form in enumerate(items.forms, start=1):
        title = (form.data.get(form.add_prefix("title")) or "").strip()
        field_errors(form, f"第 {n} 项{'“' + title[:20] + '”' if title else ''}的")
    for form in names.forms:
        field_errors(form, f"单位名称“{form.data.get(form.add_prefix('name'), '')}”的")
    for formset in (chapters, items, names):
        problems.extend(formset.non_form_errors())
    if not problems:
        return "有内容需要修改，请查看标红的字段。"
    more = f"等 {len(problems)} 处" if len(problems) > PROBLEMS_SHOWN else ""
    return f"有内容需要修改（标红的字段）：{'；'.join(problems[:PROBLEMS_SHOWN])}{more}。"


@require_http_methods(["GET", "POST"])
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    # The draft (a whole document) is read only when the preview is rendered, not for a cached one.
    document_import = get_import_for_user(request.user, pk, defer=("data", "mapping"))
    if document_import.status == ImportStatus.CONFIRMED and document_import.plan_id:
        messages.info(request, "该文档已导入。")
        return redirect(_plan_url(document_import.plan))
    if document_import.status != ImportStatus.PENDING:
        messages.warning(request, "该导入已放弃，请重新上传。")
        return redirect("tasks:import_upload")

    if request.method == "GET":
        # The preview of a long document (dozens of items, hundreds of unit names, the source beside them) is
        # rendered once per version of the draft (its updated_at moves with every saved edit) and of the
        # registry (names resolve against units, groups and aliases; an existing plan is looked up), then served
        # from the cache with the viewer's CSRF token. A form sent back with errors is never cached (below).
        def render_body() -> str:
            document_import.refresh_from_db(fields=["data", "mapping"])
            draft = PlanDraft.from_json(document_import.data)
            registry = Registry.current()
            meta, chapters, items, names = _forms(document_import, draft, registry)
            return render_part("tasks/import/_preview_body.html",
                               _preview_context(document_import, draft, registry, meta, chapters, items, names))

        body = cached_part(request, ("import-preview", document_import.pk, request.user.pk,
                                     document_import.updated_at.isoformat(), registry_version()), render_body)
        return render(request, "tasks/import/preview.html", {"body": body})

    document_import.refresh_from_db(fields=["data", "mapping"])
    draft = PlanDraft.from_json(document_import.data)
    registry = Registry.current()
    meta, chapters, items, names = _forms(document_import, draft, registry, data=request.POST)
    if not all(f.is_valid() for f in (meta, chapters, items, names)):
        messages.error(request, _problems_message(meta, chapters, items, names))
        body = render_to_string("tasks/import/_preview_body.html",
                                _preview_context(document_import, draft, registry, meta, chapters, items, names),
                                request=request)
        return render(request, "tasks/import/preview.html", {"body": mark_safe(body)}, status=400)

    edited = draft_from_forms(draft, meta, chapters, items)
    mapping = mapping_of(document_import)
    for form in names.forms:
        name, choice = form.cleaned_data["name"], form.choice()
        if choice is None:
            mapping.pop(name, None)
        else:
            mapping[name] = choice
    done = "修改已保存。"
    if "bulk_create" in request.POST:
        bulk = BulkCreateForm(request.POST)
        if bulk.is_valid():
            kind = bulk.cleaned_data["bulk_kind"]
            pending = [n for n in edited.names() if resolve_name(n, registry) is None and n not in mapping]
            for name in pending:
                mapping[name] = NameChoice(action="create", kind=kind)
            done = (f"修改已保存；其余 {len(pending)} 个名称将新建为单位（{UnitKind(kind).label}），"
                    "可在“单位名称”中逐个调整。")
    if "place" in request.POST:
        place = PlaceTextForm(request.POST)
        if not place.is_valid():
            messages.error(request, "要处理的原文位置无效，请刷新后重试。")
            return redirect("tasks:import_preview", pk=document_import.pk)
        kind, first, last = place.parsed()
        try:
            done = "修改已保存；" + place_text(edited, kind=kind, first=first, last=last)
        except PlaceRefused as exc:
            messages.error(request, str(exc))
            return redirect("tasks:import_preview", pk=document_import.pk)
    save_import_edits(document_import=document_import, draft=edited, mapping=mapping)

    if "confirm" not in request.POST:
        messages.success(request, done)
        return redirect("tasks:import_preview", pk=document_import.pk)

    update_plan = None
    if request.POST.get("update_plan"):
        existing = find_existing_plan(edited)
        if existing is None or str(existing.pk) != request.POST["update_plan"]:
            messages.error(request, "要更新的工作要点已变化，请重新确认。")
            return redirect("tasks:import_preview", pk=document_import.pk)
        update_plan = existing
    try:
        plan = confirm_import(document_import=document_import, user=request.user, update_plan=update_plan)
    except ValidationError as exc:  # ImportRefused, or a registry rule the services enforce
        for message in exc.messages:
            messages.error(request, message)
        return redirect("tasks:import_preview", pk=document_import.pk)
    except IntegrityError:  # someone else created the same plan a moment ago
        messages.error(request, "导入时数据已被他人修改（例如同一文号的工作要点刚刚建立），请检查后重新确认。")
        return redirect("tasks:import_preview", pk=document_import.pk)
    verb = "更新" if update_plan else "导入"
    messages.success(request, f"已{verb}“{plan.title}”：{plan.items.count()} 项工作任务。")
    return redirect(_plan_url(plan))


@require_POST
def import_discard(request: HttpRequest, pk: int) -> HttpResponse:
    document_import = get_import_for_user(request.user, pk)
    discard_import(document_import=document_import)
    messages.info(request, "已放弃本次导入。")
    return redirect("tasks:import_upload")
