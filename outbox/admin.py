"""The outbox in the Wagtail admin: what was sent, what waits, what failed and why; resend one or all failed.

Read-only by design: nobody (superusers included) adds, edits or deletes a message here — a message is a record
of what the site promised. Seeing it needs `outbox.view_outboxmessage` (the Mail group; bodies hold personal
data, docs/privacy.md), resending `outbox.resend_outboxmessage`.
"""

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.views.decorators.http import require_POST
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy

from .mail import resend
from .models import OutboxMessage

Status = OutboxMessage.Status
VIEW, RESEND = "outbox.view_outboxmessage", "outbox.resend_outboxmessage"


class OutboxPermissionPolicy(ModelPermissionPolicy):
    """View with the permission; never add, change or delete through the admin."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class OutboxFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(choices=Status.choices, empty_label="Any status")
    purpose = django_filters.ChoiceFilter(empty_label="Any purpose")

    class Meta:
        model = OutboxMessage
        fields = ["status", "purpose"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        purposes = OutboxMessage.objects.order_by("purpose").values_list("purpose", flat=True).distinct()
        self.filters["purpose"].extra["choices"] = [(purpose, purpose) for purpose in purposes]


class OutboxIndexView(IndexView):
    page_title = "Outbox"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_resend"] = self.request.user.has_perm(RESEND)
        context["failed_count"] = OutboxMessage.objects.filter(status=Status.FAILED).count()
        return context


class OutboxInspectView(InspectView):
    def get_field_display_value(self, field_name, field):
        """Addresses as a list a person reads (not ['a@b']), and a dash for what is empty."""
        value = getattr(self.object, field_name)
        if isinstance(value, list):
            return ", ".join(value) or "—"
        if value in (None, ""):
            return "—"
        return super().get_field_display_value(field_name, field)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_resend"] = self.request.user.has_perm(RESEND)
        return context


class OutboxViewSet(ModelViewSet):
    model = OutboxMessage
    name = "outbox"  # the URL namespace (outbox:index, outbox:inspect, outbox:resend...), not "outboxmessage"
    icon = "mail"
    menu_label = "Outbox"
    name = "outbox"  # the URL namespace: outbox:index, outbox:inspect, outbox:resend
    add_to_admin_menu = True
    menu_order = 800
    url_prefix = "outbox"
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["subject"]  # never shown: there is no add or edit view
    filterset_class = OutboxFilterSet
    search_fields = ["subject", "recipients"]
    list_per_page = 50
    index_view_class = OutboxIndexView
    inspect_view_class = OutboxInspectView
    inspect_template_name = "outbox/admin/inspect.html"
    index_template_name = "outbox/admin/index.html"
    inspect_view_fields = [
        "status",
        "purpose",
        "subject",
        "to",
        "cc",
        "bcc",
        "reply_to",
        "from_email",
        "created_at",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
        "key",
    ]  # and the body, as written (templates/outbox/admin/inspect.html)
    list_display = [
        TitleColumn("subject", label="Subject", get_url=lambda message: reverse("outbox:inspect", args=[message.pk])),
        Column("to", label="To", accessor=lambda message: ", ".join(message.recipient_list())),
        Column("purpose", label="Purpose"),
        StatusTagColumn(
            "status", label="Status", accessor="get_status_display", primary=lambda m: m.status == Status.SENT
        ),
        Column("attempts", label="Tries"),
        DateColumn("created_at", label="Queued"),
        Column("last_error", label="Last error", accessor=lambda message: message.last_error[:120]),
    ]

    def get_urlpatterns(self):
        # No add, edit, delete or copy views: the policy refuses them, and they are not routed either.
        keep = {"index", "index_results", "inspect", "history", "history_results", "usage"}
        return [pattern for pattern in super().get_urlpatterns() if pattern.name in keep] + [
            path("resend/<int:pk>/", resend_one, name="resend"),
            path("resend-failed/", resend_all_failed, name="resend_failed"),
        ]


def _require_resend(request):
    if not request.user.has_perm(RESEND):
        raise PermissionDenied


@require_POST
def resend_one(request, pk):
    _require_resend(request)
    message = get_object_or_404(OutboxMessage, pk=pk)
    if resend(OutboxMessage.objects.filter(pk=pk)):
        messages.success(request, f"“{message.subject}” is queued again.")
    else:
        messages.warning(request, f"“{message.subject}” was not resent: only failed emails can be resent.")
    return redirect("outbox:inspect", pk)


@require_POST
def resend_all_failed(request):
    _require_resend(request)
    count = resend(OutboxMessage.objects.all())
    if count:
        messages.success(request, f"{count} failed email{'s' if count != 1 else ''} queued again.")
    else:
        messages.info(request, "No failed emails to resend.")
    return redirect(reverse("outbox:index") + "?status=failed")
