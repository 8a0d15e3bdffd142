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
        # Editors' groups and permissions, when the project defines the command.
        if python manage.py help setup_groups >/dev/null 2>&1; then
            python manage.py setup_groups
        fi
        python manage.py update_index
        ;;
    *)
        exec "$@"
        ;;
esac
