from django.db import migrations, models

# PostgreSQL's part of the search (followups.search): pg_trgm for similar requests, the
# tsvector generated from the terms with its GIN index, and a trigram index on the terms.
# SQLite searches the terms as text.
POSTGRESQL_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "ALTER TABLE followups_stakeholderrequest ADD COLUMN search_vector tsvector"
    " GENERATED ALWAYS AS (to_tsvector('simple', search_terms)) STORED",
    "CREATE INDEX request_search_vector_idx ON followups_stakeholderrequest"
    " USING gin (search_vector)",
    # GiST, not GIN: it also orders by trigram distance, so the nearest few come first.
    "CREATE INDEX request_search_terms_trgm_idx ON followups_stakeholderrequest"
    " USING gist (search_terms gist_trgm_ops)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS request_search_terms_trgm_idx",
    "ALTER TABLE followups_stakeholderrequest DROP COLUMN IF EXISTS search_vector",
]


def on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


def index_existing(apps, schema_editor):
    """The terms of the requests recorded before search existed (Kiwi loads only if any are)."""
    from followups import search

    Request = apps.get_model("followups", "StakeholderRequest")
    if Request.objects.exists():
        search.reindex(Request.objects.all())


class Migration(migrations.Migration):

    dependencies = [
        ('followups', '0004_request_workflow'),
    ]

    operations = [
        migrations.AddField(
            model_name='stakeholderrequest',
            name='search_terms',
            field=models.TextField(blank=True, default='', editable=False, verbose_name='search terms'),
        ),
        migrations.RunPython(index_existing, migrations.RunPython.noop),
        migrations.RunPython(
            on_postgresql(POSTGRESQL_FORWARD), on_postgresql(POSTGRESQL_REVERSE)
        ),
    ]
