from django.apps import AppConfig


class GovreportConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "govreport"
    verbose_name = "政府年度报告"
