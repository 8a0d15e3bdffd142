"""Point the default Wagtail Site at BASE_URL (host, port, name).

Wagtail writes absolute URLs (sitemap, feeds, canonical and Open Graph links) from the Site record, which
`migrate` creates as localhost:80. The release step and `make demo` run this every time; BASE_URL is the one
place the public address is set, so a Site host changed in the admin is put back to it.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from home.structure import configure_default_site


class Command(BaseCommand):
    help = "Set the default site's hostname and port from BASE_URL (https without a port: 443). Idempotent."

    def handle(self, *args, **options):
        try:
            site, changed = configure_default_site(settings.BASE_URL)
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        state = "set to" if changed else "already"
        self.stdout.write(f"Default site {state} {site.hostname}:{site.port} ({site.root_url}).")
