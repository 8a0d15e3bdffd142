from datetime import timedelta

from django.urls import reverse
from laces.components import Component
from wagtail import hooks

from scheduler.jobs import ScheduledJob

from . import personal_data
from .admin import OutboxViewSet
from .mail import sweep
from .models import OutboxMessage

hooks.register("register_personal_data", lambda: personal_data)
hooks.register("register_admin_viewset", OutboxViewSet)


def _sweep():
    return f"{sweep()} due email(s) enqueued"


# The safety net under every delivery task: see outbox.mail.sweep.
SWEEP_JOB = ScheduledJob("outbox_sweep", timedelta(minutes=1), _sweep, "enqueue due emails whose own task was lost")
hooks.register("register_scheduled_jobs", lambda: [SWEEP_JOB])


class FailedMailPanel(Component):
    """On the admin dashboard, for whoever may see the outbox: emails that could not be delivered."""

    name = "outbox_failed"
    order = 80
    template_name = "outbox/admin/dashboard_panel.html"

    def __init__(self, failed):
        self.failed = failed

    def get_context_data(self, parent_context=None):
        return {"failed": self.failed, "url": reverse("outbox:index") + "?status=failed"}


@hooks.register("construct_homepage_panels")
def add_failed_mail_panel(request, panels):
    if request.user.has_perm("outbox.view_outboxmessage"):
        failed = OutboxMessage.objects.filter(status=OutboxMessage.Status.FAILED).count()
        if failed:
            panels.insert(0, FailedMailPanel(failed))
