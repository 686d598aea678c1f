"""The four seeded workflow templates (seedbed/pipeline/seeds.py), for every deployment."""

from django.db import migrations

NAMES = ("IdeaType", "WorkflowTemplate", "TemplateVersion", "Stage", "GateItem", "Scorecard",
         "Criterion")


def forwards(apps, schema_editor):
    from seedbed.pipeline.seeds import install_templates

    models = {name: apps.get_model("ideas" if name == "IdeaType" else "pipeline", name)
              for name in NAMES}
    install_templates(models)


class Migration(migrations.Migration):
    dependencies = [
        ("pipeline", "0001_initial"),
        ("ideas", "0003_fill_ideation"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
