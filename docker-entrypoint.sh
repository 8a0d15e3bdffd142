#!/bin/sh
# `serve` (default) runs gunicorn; `release` runs the once-per-deploy steps; anything else runs as given.
set -e
case "$1" in
    serve)
        exec gunicorn --config /app/gunicorn.conf.py
        ;;
    release)
        python manage.py migrate --noinput
        python manage.py update_index
        python manage.py ensure_admin_groups
        ;;
    *)
        exec "$@"
        ;;
esac
