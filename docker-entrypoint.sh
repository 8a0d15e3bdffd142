#!/bin/sh
# `serve` (default) runs gunicorn; `release` runs the once-per-deploy steps (docs/deployment.md);
# anything else runs as given (e.g. `python manage.py apply_retention`).
set -e
case "$1" in
    serve)
        exec gunicorn --config /app/gunicorn.conf.py
        ;;
    release)
        python manage.py migrate --noinput
        # Only does something if a database cache is configured; harmless otherwise.
        python manage.py createcachetable
        # Least-privilege admin groups (Editors, Moderators, Event sign-ups), reset to their definition.
        python manage.py ensure_admin_groups
        # A new database gets the site's pages and settings (no demo content); an existing site is left alone.
        python manage.py load_site_structure
        # The default Site's host and port from BASE_URL, so absolute URLs (sitemap, feeds, canonical) name it.
        python manage.py configure_site
        python manage.py update_index
        ;;
    *)
        exec "$@"
        ;;
esac
