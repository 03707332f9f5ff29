from django.apps import AppConfig

# Models whose rows the cached registry pages show (tasks.cachekeys).
# Duty is written in bulk by sync_duties, which bumps the version itself.
# Aliases: the import preview resolves names through them.
RENDERED_MODELS = ("Plan", "Chapter", "WorkItem", "Assignment", "Unit", "UnitGroup", "Alias")


class TasksConfig(AppConfig):
    name = "tasks"
    verbose_name = "工作要点"

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from tasks.cachekeys import bump_registry_version

        for name in RENDERED_MODELS:
            model = self.get_model(name)
            post_save.connect(bump_registry_version, sender=model, dispatch_uid=f"tasks_registry_save_{name}")
            post_delete.connect(bump_registry_version, sender=model, dispatch_uid=f"tasks_registry_delete_{name}")
        m2m_changed.connect(bump_registry_version, sender=self.get_model("UnitGroup").members.through,
                            dispatch_uid="tasks_registry_members")
