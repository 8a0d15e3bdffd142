"""Create the site's structure on a new database: the pages, empty sections and settings production starts from.

Run by the release step on every deploy. It does something only when there is no home page yet, so it never
touches a site editors have started; running it again changes nothing. No demo events, resources or posts.
"""

from django.core.management.base import BaseCommand

from home.models import HomePage
from home.structure import build_site_structure


class Command(BaseCommand):
    help = "Create the home page, content pages, empty sections and site settings, if there is no home page yet."

    def handle(self, *args, **options):
        if HomePage.objects.exists():
            self.stdout.write("The site already has a home page: its structure is left as it is.")
            return
        build_site_structure(self.stdout)
        self.stdout.write(self.style.SUCCESS("The site structure is in place."))
