from django.apps import AppConfig
from django.db.models.signals import post_delete


def _job_deleted(sender, instance, **kwargs) -> None:
    from exports.services import jobs_key
    from reports.cachekeys import bump_now_and_after_commit

    bump_now_and_after_commit(jobs_key(instance.requested_by_id))


class ExportsConfig(AppConfig):
    name = "exports"
    verbose_name = "导出文件"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # 我的导出 is cached per user (exports.views.job_list): a job deleted anywhere (pruning, the admin, a
        # deleted user's cascade) moves its owner's version.
        post_delete.connect(_job_deleted, sender="exports.ExportJob", dispatch_uid="exports-job-deleted")
