from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_search_index(sender, using="default", **kwargs) -> None:
    """Migration 0004 creates the full-text index; a schema built without migrations (test runs
    with --nomigrations) gets the same objects here. Idempotent: a no-op when they exist."""
    import importlib

    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    connection = connections[using]
    if "ideas_idea" not in connection.introspection.table_names():
        return
    applied = {key for key in MigrationRecorder(connection).applied_migrations()
               if key[0] == "ideas"}
    if applied and ("ideas", "0004_search_index") not in applied:
        return  # migrated to an older state on purpose: leave the index to migration 0004
    migration = importlib.import_module("seedbed.ideas.migrations.0004_search_index")
    migration.create_search_objects(connection)


class IdeasConfig(AppConfig):
    name = "seedbed.ideas"
    label = "ideas"
    verbose_name = "Ideation"

    def ready(self) -> None:
        post_migrate.connect(_ensure_search_index, sender=self,
                             dispatch_uid="ideas.ensure_search_index")
