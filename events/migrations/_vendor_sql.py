"""Run raw SQL written per database vendor from a migration (triggers differ by vendor)."""

from django.db import migrations


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor[schema_editor.connection.vendor]:
            schema_editor.execute(sql)

    return run


def vendor_sql(forward, reverse):
    """A migration operation; `forward` and `reverse` map a vendor to its statements."""
    return migrations.RunPython(_run(forward), _run(reverse))
