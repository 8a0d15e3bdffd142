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
    """200 while no email has waited longer than OUTBOX_STALL_SECONDS to be delivered, else 503: no worker is
    running, the workers cannot keep up, or the mail server has been refusing that long. The body tells which:
    `oldest_due_seconds` (emails due now and not going: the worker) beside `oldest_queued_seconds` (the oldest
    undelivered email, retries included: the mail server when the other is 0), and the `queued` and `failed`
    counts."""
    health = queue_health()
    tick = last_tick()
    health["last_scheduled_run"] = tick.isoformat() if tick else None
    return HttpResponse(json.dumps(health), status=200 if health["draining"] else 503, content_type="application/json")
