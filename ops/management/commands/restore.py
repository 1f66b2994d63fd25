from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ops import backups


class Command(BaseCommand):
    help = (
        "Replaces the database's content and the private files with a backup made by `backup`. "
        "Stop the web, worker and beat processes first."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument(
            "--noinput", action="store_true", help="do not ask before replacing everything"
        )

    def handle(self, *args, folder, noinput=False, **options):
        if not (folder / backups.DATABASE_FILE).exists():
            raise CommandError(f"{folder} holds no {backups.DATABASE_FILE}: not a backup.")
        if not noinput:
            answer = input(f"Replace everything in this database with {folder}? Type 'yes': ")
            if answer != "yes":
                raise CommandError("Nothing was restored.")
        backups.restore(folder)
        self.stdout.write(self.style.SUCCESS(f"Restored {folder}"))
