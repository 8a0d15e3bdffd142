#!/bin/sh
# `serve` (default) runs gunicorn; `release` runs the once-per-deploy steps (docs/deployment.md);
# anything else runs as given (e.g. `python manage.py anonymise_past_registrations`).
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
        python manage.py update_index
        ;;
    *)
        exec "$@"
        ;;
esac
