from django.db import migrations


def install(apps, schema_editor):
    from seedbed.audit import triggers

    triggers.install(schema_editor.connection)


def drop(apps, schema_editor):
    from seedbed.audit import triggers

    triggers.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(install, drop)]
