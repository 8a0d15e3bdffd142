"""Create or reset the development admin account and print its login (used by `make run`).

Refuses to run with DEBUG off, so it can never reset a production password. Apps add lines of their own for the
developer (how to sign in as a demo school's lead) through the `dev_admin_hints` hook: a function returning a line,
or "" when it has nothing to say.
"""

import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from wagtail import hooks


class Command(BaseCommand):
    help = "Create or reset the local development admin account and print its login."

    def add_arguments(self, parser):
        parser.add_argument("--username", default=os.environ.get("DEV_ADMIN_USERNAME", "admin"))
        parser.add_argument("--password", default=os.environ.get("DEV_ADMIN_PASSWORD", "sanctuary-dev-admin"))

    def handle(self, *args, username, password, **options):
        if not settings.DEBUG:
            raise CommandError("ensure_dev_admin is for local development only (DEBUG is off).")
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"email": f"{username}@example.org", "first_name": "Demo", "last_name": "Editor"},
        )
        user.is_staff = True
        user.is_superuser = True
        user.is_active = True
        user.set_password(password)
        user.save()
        action = "Created" if created else "Reset"
        self.stdout.write(
            self.style.SUCCESS(
                f"{action} the development admin account.\n"
                f"  Admin:    {settings.BASE_URL}/admin/\n"
                f"  Username: {username}\n"
                f"  Password: {password}"
            )
        )
        for hint in hooks.get_hooks("dev_admin_hints"):
            if line := hint():
                self.stdout.write(line)
