"""/healthz/worker: for monitoring, whether the mail queue is draining. Cheap (three indexed counts), no
personal data, never cached."""

import json

from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from scheduler.jobs import last_tick

from .mail import queue_health


@require_GET
@never_cache
def worker_health(request):
    """200 while the oldest message that should have gone is younger than OUTBOX_STALL_SECONDS, else 503: no
    worker running, or the workers cannot keep up (each try waiting EMAIL_TIMEOUT on a server that never answers).
    A server that refuses at once is not a stall: each message waits for its retry, which is not due yet; watch
    `failed` and `queued` for that. The body says which numbers to look at."""
    health = queue_health()
    tick = last_tick()
    health["last_scheduled_run"] = tick.isoformat() if tick else None
    return HttpResponse(json.dumps(health), status=200 if health["draining"] else 503, content_type="application/json")
