"""Configuration from the environment, and production settings that pass Django's deployment checks."""

import io
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[2]


def clean_environment(**env):
    """This process's environment without what the test run itself set (settings module, browser-test flags)."""
    ignored = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {key: value for key, value in os.environ.items() if key not in ignored} | env


def run_manage(*args, **env):
    environment = clean_environment(**env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_production_settings_pass_the_deployment_checks_with_a_strong_secret():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="sanctuary.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    "secret", ["", "short", "dev-only-insecure-key-do-not-use-in-production-xxxxxxxxxxxxxx", "a" * 80]
)
def test_production_refuses_a_missing_or_weak_secret(secret):
    result = run_manage("check", DJANGO_SETTINGS_MODULE="cms.settings.production", SECRET_KEY=secret)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_trusts_the_tls_proxy_and_redirects_plain_http():
    code = (
        "import django; django.setup();"
        "from django.test import Client;"
        "c = Client();"
        "r = c.get('/robots.txt', HTTP_HOST='sanctuary.example.org');"
        "print(r.status_code, r.get('Location'));"
        "r = c.get('/robots.txt', HTTP_HOST='sanctuary.example.org', HTTP_X_FORWARDED_PROTO='https');"
        "print(r.status_code, r.get('Strict-Transport-Security'))"
    )
    environment = clean_environment(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="sanctuary.example.org",
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    lines = result.stdout.strip().splitlines()
    assert lines[0] == "301 https://sanctuary.example.org/robots.txt", result.stderr
    assert lines[1].startswith("200 max-age=31536000")


def test_database_and_cache_come_from_the_environment():
    code = (
        "from django.conf import settings;"
        "print(settings.DATABASES['default']['ENGINE']);"
        "print(settings.CACHES['default']['BACKEND'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup();" + code],
        cwd=ROOT,
        env=clean_environment(
            DJANGO_SETTINGS_MODULE="cms.settings.dev",
            DATABASE_URL="postgres://postgres@127.0.0.1:5432/anything",
            REDIS_URL="redis://127.0.0.1:6379/3",
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "django.core.cache.backends.redis.RedisCache",
    ], result.stderr


def test_dev_admin_is_created_then_reset(db, settings):
    settings.DEBUG = True
    call_command("ensure_dev_admin", password="first-password-123", stdout=io.StringIO())
    call_command("ensure_dev_admin", password="second-password-456", stdout=io.StringIO())
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.is_staff
    assert user.check_password("second-password-456")


def test_dev_admin_refuses_to_run_in_production(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="local development only"):
        call_command("ensure_dev_admin")
    assert not get_user_model().objects.exists()


def test_the_printed_dev_login_works_at_the_admin(client, db, settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("ensure_dev_admin", stdout=out)
    printed = dict(
        line.strip().split(":", 1)
        for line in out.getvalue().splitlines()
        if line.strip().startswith(("Username", "Password"))
    )
    response = client.post(
        "/admin/login/",
        {"username": printed["Username"].strip(), "password": printed["Password"].strip()},
        follow=True,
    )
    assert response.status_code == 200
    assert response.wsgi_request.user.is_authenticated
    assert client.get("/admin/").status_code == 200
