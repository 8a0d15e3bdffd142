"""The schools network's admin screens beyond what the snippet viewset gives: the listing's counts and export,
the read-only journey panel on the edit form (status, its dates, the timeline), and "Move on the journey".

A school's status changes only through `School.move_to` (the journey's rules, the audit log); the edit form never
shows status or its dates as fields, so a move cannot be typed around the rules.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from wagtail.admin.panels import Panel
from wagtail.snippets.views.snippets import IndexView

from home.admin_exports import ListingExportMixin
from resources.models import AwardCriterion

from . import journey, workspace
from .forms import MoveForm, ReviewForm
from .journey import JourneyStatus
from .models import EvidenceFile, School
from .workspace_views import evidence_file_response

LIST_URL_NAME = "wagtailsnippets_schools_school:list"
EDIT_URL_NAME = "wagtailsnippets_schools_school:edit"
MOVE_URL_NAME = "schools_move"


def list_url(**filters):
    url = reverse(LIST_URL_NAME)
    return f"{url}?{urlencode(filters)}" if filters else url


def status_counts():
    """[(status, label, count, filtered listing's address)] for every status, in the journey's order (one query)."""
    counts = dict(School.objects.values_list("status").annotate(n=Count("pk")).order_by())
    return [
        {"status": status, "label": status.label, "count": counts.get(status.value, 0), "url": list_url(status=status)}
        for status in JourneyStatus
    ]


def renewals_due_soon(today=None):
    """Schools holding the award whose award expires within the next 90 days (the listing's filter, the dashboard)."""
    today = today or timezone.localdate()
    latest = journey.latest_award_expiring_by(today + journey.RENEWAL_SOON)
    return School.objects.filter(status__in=journey.HOLDS_AWARD, awarded_on__lte=latest)


class SchoolIndexView(ListingExportMixin, IndexView):
    """The listing, with the number of schools in each status above it, and its export for running renewals."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["status_counts"] = status_counts()
        return context

    def export_value(self, item, field):
        if field == "contacts_for_export":
            # From the prefetched contacts: no query per school.
            return "; ".join(
                " ".join(
                    part
                    for part in [
                        contact.name,
                        f"({contact.role})" if contact.role else "",
                        contact.email,
                        contact.phone,
                    ]
                    if part
                )
                for contact in item.contacts.all()
            )
        return super().export_value(item, field)


class JourneyPanel(Panel):
    """On the edit form, read only: where the school is on the journey, its dates, the award's expiry, the way to
    move it, and every move so far (who, when, from → to, note) from the audit log."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "schools/admin/journey_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            school = self.instance
            context["school"] = school
            if school is not None and school.pk:
                context["move_url"] = reverse(MOVE_URL_NAME, args=[school.pk])
                context["workspace_url"] = reverse(WORKSPACE_URL_NAME, args=[school.pk])
                context["timeline"] = list(school.timeline()[:100])
                context["status_label"] = JourneyStatus(school.status).label
            return context


def move_school(request, pk):
    """A form to move one school on the journey: the new status among the moves allowed from where it is, the
    date, a note, and the panel when booking the appraisal. A move the journey no longer allows (the form was
    stale, or crafted) is refused beside the field and nothing is saved."""
    if not request.user.has_perm("schools.change_school"):
        raise PermissionDenied
    school = get_object_or_404(School, pk=pk)
    if request.method == "POST":
        with transaction.atomic():
            # Locked while we decide, so two moves posted at once are checked one after the other.
            school = School.objects.select_for_update().get(pk=school.pk)
            form = MoveForm(school, request.POST)
            if form.is_valid():
                previous = JourneyStatus(school.status).label
                try:
                    school.move_to(
                        form.cleaned_data["status"],
                        user=request.user,
                        on=form.cleaned_data["on"],
                        note=form.cleaned_data["note"],
                        appraisal_panel=form.cleaned_data["appraisal_panel"],
                    )
                except journey.IllegalMove as error:
                    form.add_error("status", str(error))
                else:
                    label = JourneyStatus(school.status).label
                    messages.success(request, f"{school.name} moved from “{previous}” to “{label}”.")
                    return redirect(reverse(EDIT_URL_NAME, args=[school.pk]))
    else:
        form = MoveForm(school)
    context = {
        "school": school,
        "form": form,
        "status_label": JourneyStatus(school.status).label,
        "edit_url": reverse(EDIT_URL_NAME, args=[school.pk]),
        "list_url": list_url(),
        "timeline": list(school.timeline()[:20]),
    }
    return TemplateResponse(request, "schools/admin/move.html", context)


# --- The award workspace, as EMAS review it ---------------------------------------------------------------------

WORKSPACE_URL_NAME = "schools_workspace"
EVIDENCE_FILE_URL_NAME = "schools_evidence_file"


def workspace_review(request, pk):
    """A school's workspace as EMAS read it: each criterion's status, evidence and files, and a review form per
    criterion ("Reviewed by EMAS" or "Needs more", with a comment the leads see and are emailed). The appraisal and
    the award are recorded with "Move on the journey", which this page links to."""
    if not request.user.has_perm("schools.change_school"):
        raise PermissionDenied
    school = get_object_or_404(School, pk=pk)
    bound = None
    if request.method == "POST":
        criterion = get_object_or_404(AwardCriterion, number=request.POST.get("criterion", "0") or 0)
        form = ReviewForm(request.POST, prefix=f"c{criterion.number}")
        if form.is_valid():
            status = workspace.review(
                school, criterion, request.user, form.cleaned_data["status"], form.cleaned_data["comment"]
            ).get_status_display()
            messages.success(
                request, f"Criterion {criterion.number} reviewed: “{status}”. The school's leads have been emailed."
            )
            return redirect(reverse(WORKSPACE_URL_NAME, args=[school.pk]) + f"#criterion-{criterion.number}")
        bound = (criterion.number, form)
    task_list = workspace.tasks(school, with_evidence=True)
    for task in task_list:
        if bound and bound[0] == task.criterion.number:
            task.review_form = bound[1]
        else:
            progress = task.progress
            initial = {"status": progress.status, "comment": progress.review_comment} if progress else {}
            if initial.get("status") not in ("reviewed", "needs_more"):
                initial.pop("status", None)
            task.review_form = ReviewForm(prefix=f"c{task.criterion.number}", initial=initial)
    context = {
        "school": school,
        "tasks": task_list,
        "completed": workspace.completed_count(task_list),
        "status_label": JourneyStatus(school.status).label,
        "edit_url": reverse(EDIT_URL_NAME, args=[school.pk]),
        "move_url": reverse(MOVE_URL_NAME, args=[school.pk]),
        "has_errors": bound is not None,
    }
    return TemplateResponse(request, "schools/admin/workspace.html", context, status=400 if bound else 200)


def evidence_file(request, key):
    """An evidence file for EMAS staff who manage schools (never anybody else), as a download."""
    if not request.user.has_perm("schools.change_school"):
        raise PermissionDenied
    return evidence_file_response(get_object_or_404(EvidenceFile, key=key))
