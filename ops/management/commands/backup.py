from pathlib import Path

from django.core.management.base import BaseCommand
from django.template.defaultfilters import filesizeformat

from ops import backups


class Command(BaseCommand):
    help = (
        "Backs up the database (pg_dump on PostgreSQL) and the private files into a new folder "
        "(default var/backups/roundtable-<time>/). Restore it with `restore <folder>`."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", nargs="?", type=Path, help="a folder that does not exist")

    def handle(self, *args, folder=None, **options):
        folder = folder or backups.default_folder()
        for path in backups.backup(folder):
            self.stdout.write(f"{path} ({filesizeformat(path.stat().st_size)})")
        self.stdout.write(self.style.SUCCESS(f"Backed up to {folder}"))
