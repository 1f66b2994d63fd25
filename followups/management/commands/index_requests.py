from django.core.management.base import BaseCommand

from followups import search
from followups.models import StakeholderRequest


class Command(BaseCommand):
    help = (
        "Writes the search terms of every request again: after rows were written around the "
        "model's save() (a bulk load, a queryset update()), or a new analyser version."
    )

    def handle(self, *args, **options):
        count = search.reindex(StakeholderRequest.objects.all())
        self.stdout.write(self.style.SUCCESS(f"{count} request(s) indexed."))
