"""Local development: `make run`. Never used in production."""

from .base import *  # noqa: F403
from .base import env, env_bool

DEBUG = True
SECRET_KEY = env("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
# Emails are printed in the terminal `make run` runs in, once delivered from the outbox.
OUTBOX_DELIVERY_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# Page cache: off while developing so template edits show at once; PAGE_CACHE_ENABLED=true to try it.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", False)
