#!/bin/sh
# `serve` (default) runs gunicorn; `release` runs the once-per-deploy steps; `worker` delivers the outbox's mail
# (the database task queue); `scheduler` runs the scheduled jobs (docs/deployment.md, "Processes");
# anything else runs as given (e.g. `python manage.py apply_retention`).
set -e

# The worker and the scheduler may start before the database answers, or before this version's release step has
# migrated it (their tables would be missing): wait for both rather than crash in a restart loop, and give up
# after two minutes saying why, so a deploy that never ran `release` is visible.
wait_for_database() {
    waited=0
    until python manage.py migrate --check >/dev/null 2>&1; do
        if [ "$waited" -ge 120 ]; then
            echo "docker-entrypoint.sh $1: the database is unreachable or not migrated after ${waited}s:" >&2
            python manage.py migrate --check >&2 || true
            exit 1
        fi
        if [ "$waited" -eq 0 ]; then
            echo "docker-entrypoint.sh $1: waiting for the database and its migrations..." >&2
        fi
        sleep 3
        waited=$((waited + 3))
    done
}

case "$1" in
    serve)
        exec gunicorn --config /app/gunicorn.conf.py
        ;;
    release)
        python manage.py migrate --noinput
        # Only does something if a database cache is configured; harmless otherwise.
        python manage.py createcachetable
        # Least-privilege admin groups (Editors, Moderators, Event sign-ups, Mail), reset to their definition.
        python manage.py ensure_admin_groups
        # A new database gets the site's pages and settings (no demo content); an existing site is left alone.
        python manage.py load_site_structure
        # The default Site's host and port from BASE_URL, so absolute URLs (sitemap, feeds, canonical) name it.
        python manage.py configure_site
        python manage.py update_index
        ;;
    worker)
        # Delivers the outbox's mail from the database queue (django-tasks-db). Any number may run; each needs its
        # own id (the host name: one worker per container). Idle, it looks for work every 2 seconds; more
        # db_worker options may follow `worker` (e.g. `worker --interval 1`).
        shift
        wait_for_database worker
        exec python manage.py db_worker --no-reload --interval 2 --worker-id "$(uname -n | cut -c1-50)-$$" "$@"
        ;;
    scheduler)
        # Runs each scheduled job (retention daily, the outbox sweep every minute...) once per period, however
        # many schedulers run; it checks every 30 seconds (`scheduler --interval N` to change).
        shift
        wait_for_database scheduler
        exec python manage.py run_scheduled_jobs --forever "$@"
        ;;
    *)
        exec "$@"
        ;;
esac
