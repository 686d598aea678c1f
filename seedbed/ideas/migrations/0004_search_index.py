"""Full-text search index for ideas (titles, descriptions and comments).

SQLite: an FTS5 table ``ideas_search`` (rowid = idea id) filled from the existing rows and kept
in sync by triggers, so every write path (actions, bulk loads, merges moving comments) updates
it without application code. PostgreSQL: GIN expression indexes; the query side
(seedbed/ideas/search.py) uses the very same expressions. Other databases: nothing.

``create_search_objects`` is idempotent; the ideas app also calls it after ``migrate`` when the
schema was built without migrations (test runs with --nomigrations).
"""

from django.db import migrations

SQLITE_CREATE = [
    # porter: "packaging" finds "packaged"; remove_diacritics: "creme" finds "crème".
    "CREATE VIRTUAL TABLE IF NOT EXISTS ideas_search USING fts5("
    "title, description, comments, tokenize = 'porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS ideas_search_idea_ai AFTER INSERT ON ideas_idea BEGIN "
    "INSERT INTO ideas_search (rowid, title, description, comments) "
    "VALUES (new.id, new.title, new.description, ''); END",
    "CREATE TRIGGER IF NOT EXISTS ideas_search_idea_au AFTER UPDATE OF title, description "
    "ON ideas_idea BEGIN "
    "UPDATE ideas_search SET title = new.title, description = new.description "
    "WHERE rowid = new.id; END",
    "CREATE TRIGGER IF NOT EXISTS ideas_search_idea_ad AFTER DELETE ON ideas_idea BEGIN "
    "DELETE FROM ideas_search WHERE rowid = old.id; END",
    # A new comment is appended (cheap); an edited, moved (merge) or deleted one rebuilds the
    # comments column of the ideas concerned.
    "CREATE TRIGGER IF NOT EXISTS ideas_search_comment_ai AFTER INSERT ON ideas_comment BEGIN "
    "UPDATE ideas_search SET comments = comments || char(10) || new.body "
    "WHERE rowid = new.idea_id; END",
    "CREATE TRIGGER IF NOT EXISTS ideas_search_comment_au AFTER UPDATE OF body, idea_id "
    "ON ideas_comment BEGIN "
    "UPDATE ideas_search SET comments = coalesce((SELECT group_concat(body, char(10)) "
    "FROM ideas_comment WHERE idea_id = ideas_search.rowid), '') "
    "WHERE rowid IN (old.idea_id, new.idea_id); END",
    "CREATE TRIGGER IF NOT EXISTS ideas_search_comment_ad AFTER DELETE ON ideas_comment BEGIN "
    "UPDATE ideas_search SET comments = coalesce((SELECT group_concat(body, char(10)) "
    "FROM ideas_comment WHERE idea_id = old.idea_id), '') WHERE rowid = old.idea_id; END",
]
SQLITE_FILL = (
    "INSERT INTO ideas_search (rowid, title, description, comments) "
    "SELECT i.id, i.title, i.description, coalesce((SELECT group_concat(c.body, char(10)) "
    "FROM ideas_comment c WHERE c.idea_id = i.id), '') FROM ideas_idea i"
)
SQLITE_DROP = [
    *(f"DROP TRIGGER IF EXISTS ideas_search_{name}"
      for name in ("idea_ai", "idea_au", "idea_ad", "comment_ai", "comment_au", "comment_ad")),
    "DROP TABLE IF EXISTS ideas_search",
]
POSTGRES_CREATE = [
    "CREATE INDEX IF NOT EXISTS idea_search_gin ON ideas_idea USING gin (("
    "setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(description, '')), 'B')))",
    "CREATE INDEX IF NOT EXISTS comment_search_gin ON ideas_comment USING gin ("
    "to_tsvector('english'::regconfig, coalesce(body, '')))",
]
POSTGRES_DROP = ["DROP INDEX IF EXISTS idea_search_gin", "DROP INDEX IF EXISTS comment_search_gin"]


def create_search_objects(connection) -> None:
    if connection.vendor == "sqlite":
        statements = SQLITE_CREATE
        with connection.cursor() as cursor:
            if "ideas_search" not in connection.introspection.table_names(cursor):
                statements = [*SQLITE_CREATE, SQLITE_FILL]
    elif connection.vendor == "postgresql":
        statements = POSTGRES_CREATE
    else:
        return
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def forwards(apps, schema_editor):
    create_search_objects(schema_editor.connection)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in SQLITE_DROP if vendor == "sqlite" else POSTGRES_DROP if vendor == "postgresql" \
            else []:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("ideas", "0003_fill_ideation")]

    operations = [migrations.RunPython(forwards, backwards)]
