"""Create or correct the admin groups (Editors, Moderators, Event sign-ups); see security/admin_groups.py.

Run by the release step (docker-entrypoint.sh) and by `load_demo_content`; safe to run any number of times.
"""

from django.core.management.base import BaseCommand

from security.admin_groups import ensure_admin_groups


class Command(BaseCommand):
    help = "Create or correct the Editors, Moderators and Event sign-ups groups (idempotent)."

    def handle(self, *args, **options):
        groups = ensure_admin_groups()
        self.stdout.write(self.style.SUCCESS(f"Admin groups in place: {', '.join(sorted(groups))}."))
