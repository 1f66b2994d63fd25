from django.conf import settings
from django.core.management.base import BaseCommand

from stakeholders import services


class Command(BaseCommand):
    help = (
        "Lists the contacts with no trace in PERSONAL_DATA_RETENTION_DAYS; with --apply, erases "
        "their personal details (their requests and attendance stay). Run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--apply", action="store_true", help="erase; without it, only list")

    def handle(self, *args, apply=False, **options):
        people = services.contacts_to_anonymise()
        days = settings.PERSONAL_DATA_RETENTION_DAYS
        if not apply:
            for person in people.select_related("organization"):
                self.stdout.write(f"{person.pk}\t{person}")
            self.stdout.write(
                f"{people.count()} contact(s) untouched for {days} days would be anonymised. "
                "Run again with --apply to do it."
            )
            return
        count = services.contacts_anonymise(people=people)
        self.stdout.write(self.style.SUCCESS(f"{count} contact(s) anonymised."))
