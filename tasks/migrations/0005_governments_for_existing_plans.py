"""Every existing plan gets the government that reports for it, derived from its issuer.

"江川市人民政府办公室" → "江川市人民政府"; an issuer without "人民政府" stays as it is; no issuer gives
"本级人民政府" (the office renames it on the government screen). The rule is copied here, not imported,
so that this migration keeps doing what it did when the model code changes.
"""

from django.db import migrations


def _name(issuer: str) -> str:
    issuer = (issuer or "").strip()
    marker = "人民政府"
    if marker in issuer:
        return issuer[: issuer.index(marker) + len(marker)]
    return issuer or "本级人民政府"


def forwards(apps, schema_editor):
    # The database being migrated, not "default": `migrate --database` (the restore drill's scratch
    # database) must never read or write another one.
    db = schema_editor.connection.alias
    Plan = apps.get_model("tasks", "Plan")
    Government = apps.get_model("tasks", "Government")
    cache = {}
    for plan in Plan.objects.using(db).filter(government__isnull=True).only("id", "issuer").iterator():
        name = _name(plan.issuer)[:100]
        if name not in cache:
            cache[name], _ = Government.objects.using(db).get_or_create(name=name, defaults={"red_header": name})
        Plan.objects.using(db).filter(pk=plan.pk).update(government=cache[name])


class Migration(migrations.Migration):
    dependencies = [("tasks", "0004_government_and_plan_government")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
