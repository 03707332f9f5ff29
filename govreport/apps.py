from django.apps import AppConfig

# Models whose rows the cached government report pages show (govreport.cachekeys).
RENDERED_MODELS = (("govreport", "GovReport"), ("govreport", "Section"), ("govreport", "Submission"),
                   ("govreport", "Publication"), ("tasks", "Government"))


class GovreportConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "govreport"
    verbose_name = "政府年度报告"

    def ready(self) -> None:
        from django.apps import apps
        from django.db.models.signals import post_delete, post_save

        from govreport.cachekeys import bump_govreport_version

        for app_label, name in RENDERED_MODELS:
            model = apps.get_model(app_label, name)
            post_save.connect(bump_govreport_version, sender=model, dispatch_uid=f"govreport_pages_save_{name}")
            post_delete.connect(bump_govreport_version, sender=model, dispatch_uid=f"govreport_pages_delete_{name}")
