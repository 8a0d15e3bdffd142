"""Load the demo site: the site structure (`load_site_structure`'s pages), then each app's demo extras.

Safe to run again: it only adds what is missing, so editors' changes survive `make run`.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from home.app_modules import local_app_modules
from home.structure import build_site_structure


class Command(BaseCommand):
    help = "Create the demo content (idempotent: only what is missing is added)."

    def handle(self, *args, **options):
        # The structure adds only what is missing here too (unlike `load_site_structure`, which leaves any existing
        # site alone), so a demo page an editor deleted comes back.
        home = build_site_structure(self.stdout)
        # Each app contributes by convention: a `demo` module with `load(home, stdout)`.
        for module in local_app_modules("demo"):
            module.load(home, self.stdout)
        call_command("ensure_admin_groups", stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo content is in place."))
