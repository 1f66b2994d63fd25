import re

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


# followups.search as it was when search came (a migration keeps what it ran with): the
# nouns, Latin words and numbers of a text, compounds split and whole, and their beginnings.
TERM_TAGS = frozenset({"NNG", "NNP", "XR", "SL", "SH", "SN"})
WORD = re.compile(r"[^\W_]+")


def document(kiwi, text):
    found, run, end = {}, [], None

    def close():
        found.update(dict.fromkeys(run))
        if len(run) > 1:
            found.setdefault("".join(run)[:100])

    for token in [*kiwi.tokenize(text), None]:
        if token is not None and token.tag in TERM_TAGS:
            pieces = WORD.findall(token.form.lower())
            if len(pieces) == 1:
                if run and token.start != end:
                    close()
                    run = []
                run.append(pieces[0][:100])
                end = token.start + token.len
                continue
        close()
        run = []
    for term in list(found):
        found.update(dict.fromkeys(term[:stop] for stop in range(2, len(term))))
    return f" {' '.join(found)} " if found else ""


def index_existing(apps, schema_editor):
    """The terms of the requests recorded before search existed (Kiwi loads only if any are)."""
    Request = apps.get_model("followups", "StakeholderRequest")
    if not Request.objects.exists():
        return
    from kiwipiepy import Kiwi

    kiwi, batch = Kiwi(), []
    for request in Request.objects.only("text").order_by("pk").iterator(1000):
        request.search_terms = document(kiwi, request.text)
        batch.append(request)
        if len(batch) == 1000:
            Request.objects.bulk_update(batch, ["search_terms"])
            batch = []
    Request.objects.bulk_update(batch, ["search_terms"])


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
