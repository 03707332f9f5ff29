from __future__ import annotations

from django.apps import AppConfig, apps

# Models whose every create, update and delete is kept with old → new values, actor and address.
# Listed by label so that models other engineers add later only need a line here; missing ones are skipped.
AUDITED_MODELS: dict[str, dict] = {
    "tasks.Plan": {"exclude_fields": ["original_text"]},
    "tasks.Chapter": {},
    "tasks.WorkItem": {},
    "tasks.Assignment": {},
    "tasks.Unit": {},
    "tasks.UnitGroup": {"m2m_fields": {"members"}},
    "tasks.Alias": {},
    "accounts.User": {"exclude_fields": ["last_login"], "mask_fields": ["password"]},
    "reports.Period": {},
    # figures_text is derived from the figure rows, which are logged one by one below.
    "reports.Report": {"exclude_fields": ["updated_at", "version", "figures_text"]},
    "reports.ReportFigure": {},
    "reports.ReportEvent": {},
    "reports.Review": {},
    "reports.Attachment": {},
    "reports.Reminder": {},
    "reports.AnnualReportDraft": {"exclude_fields": ["updated_at", "version"]},
    "reports.AnnualReportEvent": {},
    "reports.AnnualReportDeadline": {},
    "tasks.Government": {},
    "govreport.GovReport": {"exclude_fields": ["updated_at", "version"]},
    "govreport.Section": {"exclude_fields": ["updated_at", "version"]},
    "govreport.Submission": {},
    "govreport.Publication": {"exclude_fields": ["content"]},
    # The assessment: every score, override, adjustment, lock (Scheme.state) and publication, with its actor.
    "assessment.Scheme": {},
    "assessment.Category": {},
    "assessment.CategoryMembership": {},
    "assessment.Indicator": {"m2m_fields": {"categories"}},
    "assessment.ScorerGrant": {},
    "assessment.SelfAssessment": {"exclude_fields": ["updated_at"]},
    "assessment.Evidence": {},
    "assessment.Score": {"exclude_fields": ["scored_at"]},
    "assessment.Objection": {},
    "assessment.Result": {"exclude_fields": ["stored_at"]},
    # Who asked for which file is kept; the worker's bookkeeping fields are not changes anyone made.
    "exports.ExportJob": {"exclude_fields": ["started_at", "finished_at", "size", "file"]},
    # Restore drills: when, who, which backup, outcome (等保: records of recent restore tests).
    "ops.RestoreDrill": {"exclude_fields": ["checks"]},
}


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "安全审计"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from audit import signals

        for label, options in AUDITED_MODELS.items():
            try:
                model = apps.get_model(label)
            except LookupError:
                continue
            options = dict(options)
            if "exclude_fields" in options:
                present = {f.name for f in model._meta.get_fields()}
                options["exclude_fields"] = [f for f in options["exclude_fields"] if f in present]
            if "m2m_fields" in options:
                present = {f.name for f in model._meta.many_to_many}
                options["m2m_fields"] = {f for f in options["m2m_fields"] if f in present}
            if "mask_fields" in options:
                present = {f.name for f in model._meta.get_fields()}
                options["mask_fields"] = [f for f in options["mask_fields"] if f in present]
            auditlog.register(model, **options)
        signals.connect()

        from auditlog.models import LogEntry
        from django.db.models.signals import post_save

        from audit.cachekeys import bump_audit_version
        from audit.models import SecurityEvent

        # The audit page is cached under the logs' newest ids and this version (audit.cachekeys).
        for model in (LogEntry, SecurityEvent):
            post_save.connect(bump_audit_version, sender=model, dispatch_uid=f"audit_version_{model.__name__}")
