"""Load the demo site: the seed page as real pages, then each feature app's own demo content.

Safe to run again: it only adds what is missing, so editors' changes survive `make run`.
"""

from importlib import import_module

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from home import demo as home_demo


class Command(BaseCommand):
    help = "Create the demo content (idempotent: only what is missing is added)."

    def handle(self, *args, **options):
        home = home_demo.load(self.stdout)
        # Feature apps contribute by convention: a `demo` module with `load(home, stdout)`.
        for app_name in settings.LOCAL_APPS:
            if app_name == "home":
                continue
            try:
                module = import_module(f"{app_name}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"{app_name}.demo":
                    raise
                continue
            module.load(home, self.stdout)
        call_command("ensure_admin_groups", stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo content is in place."))
