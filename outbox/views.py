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
    """200 while the oldest message that should have gone is younger than OUTBOX_STALL_SECONDS, else 503: no worker
    is running, or it cannot keep up. A mail server that is down is not a 503: the worker is doing its job, and its
    messages wait for their next try (`queued`, which grows) until the last one (`failed`, shown on the admin's
    dashboard). The body has the numbers: watch `queued` and `failed` too."""
    health = queue_health()
    tick = last_tick()
    health["last_scheduled_run"] = tick.isoformat() if tick else None
    return HttpResponse(json.dumps(health), status=200 if health["draining"] else 503, content_type="application/json")
