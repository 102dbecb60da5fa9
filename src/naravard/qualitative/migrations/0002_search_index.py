"""The full-text index of sentences: a GIN expression index on PostgreSQL, an FTS5 table
of Snowball stems on SQLite (filled from any sentences already stored)."""

from django.db import migrations

PG_INDEX = "qualitative_segment_body_swedish"
FTS_TABLE = "qualitative_segment_fts"
# the expression Django's SearchVector("body", config="swedish") compiles to, so the planner
# can use the index for it
PG_EXPRESSION = "to_tsvector('swedish'::regconfig, COALESCE(body, ''::text))"


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX {PG_INDEX} ON qualitative_segment USING gin ({PG_EXPRESSION})")
    elif vendor == "sqlite":
        from naravard.qualitative.search import document

        schema_editor.execute(f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
                              "stems, tokenize = 'unicode61 remove_diacritics 0')")
        segments = apps.get_model("qualitative", "Segment").objects.values_list("pk", "body")
        rows = [(pk, document(body)) for pk, body in segments.iterator()]
        with schema_editor.connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {FTS_TABLE} (rowid, stems) VALUES (%s, %s)", rows)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")
    elif vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


class Migration(migrations.Migration):
    dependencies = [("qualitative", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
