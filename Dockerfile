# Coventry Schools of Sanctuary: production image (see docs/deployment.md).
# Build:   docker build -t sanctuary .
# Release: docker run --rm --env-file .env sanctuary release      (migrations etc., once per deploy)
# Serve:   docker run --env-file .env -p 8000:8000 sanctuary
# Mail:    docker run --env-file .env --no-healthcheck sanctuary worker       (delivers the outbox's email)
# Clock:   docker run --env-file .env --no-healthcheck sanctuary scheduler    (retention, the outbox's sweep...)
# (The HEALTHCHECK probes gunicorn's /healthz, which only `serve` runs; watch the worker at /healthz/worker.)
# The base is a build argument so CI can build on a local Debian bookworm root (`make image-test`): only
# `python3` with its `venv` module is assumed, which both python:3.11-slim and Debian's python3 provide.
ARG PYTHON_IMAGE=python:3.11-slim

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python3 -m venv /venv
COPY requirements.txt constraints.txt /tmp/
RUN /venv/bin/pip install --quiet -r /tmp/requirements.txt -c /tmp/constraints.txt

FROM ${PYTHON_IMAGE}
ENV PATH="/venv/bin:$PATH" \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DJANGO_SETTINGS_MODULE=cms.settings.production \
    PORT=8000 \
    MEDIA_ROOT=/app/media \
    STATIC_ROOT=/app/staticfiles
RUN groupadd --system sanctuary && useradd --system --gid sanctuary --home-dir /app --shell /usr/sbin/nologin sanctuary
WORKDIR /app
COPY --from=build /venv /venv
COPY . /app
# Static files are collected (hashed and compressed) at build time; the secret is a throwaway for this step only.
# The code stays owned by root (the app cannot rewrite itself); only media is writable by the app user.
RUN SECRET_KEY=build-time-collectstatic-only-0123456789abcdefghijklmnopqrstuvwxyz \
    python manage.py collectstatic --noinput --verbosity 0 \
    && mkdir -p /app/media && chown -R sanctuary:sanctuary /app/media \
    && chmod 0755 /app/docker-entrypoint.sh
USER sanctuary
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ.get(\"PORT\", \"8000\")}/healthz', timeout=4)"
ENTRYPOINT ["/app/docker-entrypoint.sh"]
CMD ["serve"]
