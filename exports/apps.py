from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "exports"
    verbose_name = "导出文件"
    default_auto_field = "django.db.models.BigAutoField"
