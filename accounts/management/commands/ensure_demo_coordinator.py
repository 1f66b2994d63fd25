import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.roles import COORDINATORS

USERNAME = "coordinator"


class Command(BaseCommand):
    help = "Creates the demo coordinator login when it is missing, and prints it."

    def handle(self, *args, **options):
        password_file = settings.VAR_DIR / "demo-coordinator.txt"
        User = get_user_model()
        with transaction.atomic():
            user = User.objects.filter(username=USERNAME).first()
            if user is None:
                password = secrets.token_urlsafe(12)
                user = User.objects.create_user(
                    USERNAME, email="coordinator@localhost", password=password, is_staff=True
                )
                user.groups.add(Group.objects.get(name=COORDINATORS))
                password_file.write_text(password + "\n")
                password_file.chmod(0o600)
                created = True
            else:
                created = False
        password = (
            password_file.read_text().strip()
            if password_file.exists()
            else "(set before; not stored)"
        )
        url = f"{settings.SITE_URL}/admin/"
        verb = "Created" if created else "Existing"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} demo coordinator — sign in at {url}\n"
                f"    username: {USERNAME}\n    password: {password}"
                + ("" if created else "   (as first created; yours if you changed it)")
            )
        )
