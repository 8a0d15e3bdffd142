"""Load the demo site: the site structure (`load_site_structure`'s pages), then the demo content on top of it.

Safe to run again: it only adds what is missing, so editors' changes survive `make run`.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from demo import loader
from home.structure import build_site_structure


class Command(BaseCommand):
    help = "Create the demo content (idempotent: only what is missing is added)."

    def handle(self, *args, **options):
        # The structure adds only what is missing here too (unlike `load_site_structure`, which leaves any existing
        # site alone), so a demo page an editor deleted comes back.
        home = build_site_structure(self.stdout)
        loader.load(home, self.stdout)  # every part in demo/content/, in demo.loader.PARTS order
        call_command("ensure_admin_groups", stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo content is in place."))
