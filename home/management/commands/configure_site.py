"""Point the default Wagtail Site at BASE_URL (host, port, name), and create the site's first languages.

Wagtail writes absolute URLs (sitemap, feeds, canonical and Open Graph links) from the Site record, which
`migrate` creates as localhost:80. The release step and `make demo` run this every time; BASE_URL is the one
place the public address is set, so a Site host changed in the admin is put back to it. The locales of
SITE_LOCALES are created when missing (a locale an editor deleted comes back on the next deploy).
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from home.structure import configure_default_site, ensure_locales


class Command(BaseCommand):
    help = "Set the default site's hostname and port from BASE_URL (https without a port: 443). Idempotent."

    def handle(self, *args, **options):
        try:
            site, changed = configure_default_site(settings.BASE_URL)
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        added = ensure_locales()
        if added:
            self.stdout.write(f"Added the locales {', '.join(added)}.")
        state = "set to" if changed else "already"
        self.stdout.write(f"Default site {state} {site.hostname}:{site.port} ({site.root_url}).")
