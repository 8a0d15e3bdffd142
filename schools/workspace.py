"""A school's award workspace: the eight criteria as a task list, the evidence under each, the application, and
EMAS's reviews. The views (the leads' in workspace_views.py, EMAS's in admin_views.py) call these functions, so
the rules live here once: who may change what, and when, and what is recorded and emailed.

Every change is one transaction that also writes Wagtail's audit log entry on the school (the lead's name in its
data, as leads are not users) and queues any email through the outbox, so nothing is half-done or lost.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log

from outbox.mail import queue_email
from resources.models import AwardCriterion

from .journey import JourneyStatus
from .models import COMPLETED_STATUSES, CriterionProgress, CriterionStatus, Evidence, EvidenceFile, School
from .reminders import emas_address

S = JourneyStatus
# The workspace can be changed while the school works towards the award; from the application until EMAS return
# it (or the award is decided) it is read-only, as is a lapsed school's until EMAS move it to "working towards".
EDITABLE_STATUSES = frozenset({S.INTERESTED, S.PLEDGE_SIGNED, S.WORKING_TOWARDS})
# A school applies from "working towards"; one that has only signed the pledge is moved there on the way.
CAN_APPLY_FROM = frozenset({S.PLEDGE_SIGNED, S.WORKING_TOWARDS})
CRITERIA_COUNT = 8

EVIDENCE_ADDED = "schools.evidence_added"
EVIDENCE_DELETED = "schools.evidence_deleted"
CRITERION_READY = "schools.criterion_ready"
CRITERION_REVIEWED = "schools.criterion_reviewed"
APPLICATION_SUBMITTED = "schools.application_submitted"
LEAD_SIGNED_IN = "schools.lead_signed_in"

NEXT_STEPS = {
    S.INTERESTED: "Sign the Schools of Sanctuary pledge with EMAS. You can start gathering evidence now.",
    S.PLEDGE_SIGNED: "Gather evidence for each of the eight criteria and mark each ready for review.",
    S.WORKING_TOWARDS: "Gather evidence for each of the eight criteria and mark each ready for review.",
    S.APPLICATION_SUBMITTED: "EMAS are reading your application. They will contact you to book the appraisal visit.",
    S.APPRAISAL_BOOKED: "Your appraisal visit is booked. The panel will read the portfolio below.",
    S.AWARDED: "Your school holds the award. Keep the evidence: it helps when the award comes up for renewal.",
    S.REAWARDED: "Your school holds the award again. Keep the evidence for the next renewal.",
    S.RENEWAL_DUE: "Your award is due for renewal: contact EMAS to arrange it.",
    S.LAPSED: "Your award has lapsed. Contact EMAS to start working towards it again.",
}


class WorkspaceLocked(Exception):
    """The workspace cannot be changed now; `message` says why, for the lead."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass
class CriterionTask:
    """One row of the task list: a criterion, the school's progress on it (None: not started), and its evidence."""

    criterion: AwardCriterion
    progress: CriterionProgress | None
    evidence: list = field(default_factory=list)

    @property
    def status(self):
        return CriterionStatus(self.progress.status) if self.progress else CriterionStatus.NOT_STARTED

    @property
    def name(self):
        """Verb first, as task lists name tasks: "Show evidence of learning in the curriculum"."""
        title = self.criterion.short_title
        return f"Show evidence of {title[:1].lower()}{title[1:]}"

    @property
    def completed(self):
        return self.status in COMPLETED_STATUSES

    @property
    def review_comment(self):
        return self.progress.review_comment if self.progress else ""


def criteria():
    return list(AwardCriterion.objects.select_related("process").order_by("number"))


def tasks(school, with_evidence=False):
    """The eight criteria as tasks for `school`, in order (with their evidence and files, if asked)."""
    progress = {row.criterion_id: row for row in CriterionProgress.objects.filter(school=school)}
    evidence = {}
    if with_evidence:
        for entry in Evidence.objects.filter(school=school).prefetch_related("files").select_related("added_by"):
            evidence.setdefault(entry.criterion_id, []).append(entry)
    return [
        CriterionTask(criterion, progress.get(criterion.pk), evidence.get(criterion.pk, [])) for criterion in criteria()
    ]


def task(school, criterion):
    """One criterion's task, with its evidence and files (the criterion's page: no other criterion's rows)."""
    progress = CriterionProgress.objects.filter(school=school, criterion=criterion).first()
    evidence = Evidence.objects.filter(school=school, criterion=criterion).prefetch_related("files")
    return CriterionTask(criterion, progress, list(evidence.select_related("added_by")))


def grouped(task_list):
    """[(process, [tasks])] in the order of the processes: Learn, Embed, Share."""
    groups = []
    for task in task_list:
        if not groups or groups[-1][0] != task.criterion.process:
            groups.append((task.criterion.process, []))
        groups[-1][1].append(task)
    return groups


def completed_count(task_list):
    return sum(task.completed for task in task_list)


def is_editable(school):
    return school.status in EDITABLE_STATUSES


def can_apply(school, task_list):
    return school.status in CAN_APPLY_FROM and completed_count(task_list) == len(task_list) == CRITERIA_COUNT


def _check_editable(school):
    if not is_editable(school):
        if school.status in (S.APPLICATION_SUBMITTED, S.APPRAISAL_BOOKED):
            raise WorkspaceLocked(
                "Your application has been sent, so the workspace is read-only. If EMAS return it to you, you can "
                "change it again."
            )
        raise WorkspaceLocked(
            f"The workspace is read-only while the school is “{S(school.status).label}”. Contact EMAS to change it."
        )


def record_sign_in(lead):
    _log(lead.school, LEAD_SIGNED_IN, lead)


def _log(school, action, lead=None, user=None, **data):
    if lead is not None:
        data["lead"] = lead.name
    log(instance=school, action=action, user=user, data=data)


def _progress(school, criterion):
    progress, _ = CriterionProgress.objects.select_for_update().get_or_create(school=school, criterion=criterion)
    return progress


def add_evidence(school, criterion, lead, data, cleaned_files):
    """Store an evidence entry with its files (already checked and cleaned: `(name, CleanedFile)` pairs).

    The criterion is in progress afterwards: if it was ready or reviewed, the school changed what it said, so it
    marks it ready again when it is done."""
    _check_editable(school)
    with transaction.atomic():
        entry = Evidence.objects.create(school=school, criterion=criterion, added_by=lead, **data)
        for name, cleaned in cleaned_files:
            attached = EvidenceFile(evidence=entry, name=name, content_type=cleaned.content_type, size=len(cleaned))
            attached.file.save(f"evidence.{cleaned.extension}", ContentFile(cleaned.content), save=False)
            attached.save()
        progress = _progress(school, criterion)
        if progress.status != CriterionStatus.NEEDS_MORE:
            progress.status = CriterionStatus.IN_PROGRESS
        progress.save()
        _log(school, EVIDENCE_ADDED, lead, criterion=criterion.number, files=len(cleaned_files))
    return entry


def delete_evidence(entry, lead):
    """Delete an entry and its files; a criterion left with no evidence is "Not started" again."""
    school, criterion = entry.school, entry.criterion
    _check_editable(school)
    with transaction.atomic():
        entry.delete()
        progress = _progress(school, criterion)
        if not Evidence.objects.filter(school=school, criterion=criterion).exists():
            progress.delete()
        else:
            if progress.status in COMPLETED_STATUSES:
                progress.status = CriterionStatus.IN_PROGRESS
            progress.save()
        _log(school, EVIDENCE_DELETED, lead, criterion=criterion.number)


def mark_ready(school, criterion, lead):
    _check_editable(school)
    if not Evidence.objects.filter(school=school, criterion=criterion).exists():
        raise WorkspaceLocked("Add at least one piece of evidence before you mark this criterion ready for review.")
    with transaction.atomic():
        progress = _progress(school, criterion)
        progress.status = CriterionStatus.READY
        progress.ready_at = timezone.now()
        progress.save()
        _log(school, CRITERION_READY, lead, criterion=criterion.number)


def submit_application(school, lead):
    """Send the application: the school moves to "application submitted" (through "working towards" if it had
    only signed the pledge), EMAS and the school's leads are emailed, and the workspace becomes read-only."""
    _check_editable(school)
    task_list = tasks(school)
    if not can_apply(school, task_list):
        raise WorkspaceLocked("Mark all eight criteria ready for review before you send the application.")
    note = f"Sent from the workspace by {lead.name}."
    with transaction.atomic():
        if school.status == S.PLEDGE_SIGNED:
            school.move_to(S.WORKING_TOWARDS, note=note)
        school.move_to(S.APPLICATION_SUBMITTED, note=note)
        _log(school, APPLICATION_SUBMITTED, lead)
        context = {
            "school": school,
            "lead": lead,
            "tasks": task_list,
            "admin_url": settings.BASE_URL + reverse("schools_workspace", args=[school.pk]),
        }
        emas = emas_address()
        key = f"school-application-{school.pk}-{school.application_submitted_on:%Y%m%d}"
        subject = f"Application for the Schools of Sanctuary award: {school.name}"
        if emas:
            _email(
                "application_submitted_emas",
                context,
                subject,
                [emas],
                [lead.email],
                "School application (EMAS)",
                key + "-emas",
            )
        _email(
            "application_submitted_school",
            context,
            f"Your application for the Schools of Sanctuary award has been sent: {school.name}",
            _leads(school),
            [emas] if emas else [],
            "School application (school)",
            key + "-school",
        )


def _leads(school):
    return [contact.email for contact in school.contacts.all()]


def _email(template, context, subject, to, reply_to, purpose, key=None):
    """Queue one of the workspace's emails (templates/schools/email/<template>.txt) through the outbox."""
    body = render_to_string(f"schools/email/{template}.txt", context)
    queue_email(EmailMessage(subject=subject, body=body, to=to, reply_to=reply_to), purpose=purpose, key=key)


def review(school, criterion, user, status, comment, *, notify=True):
    """EMAS's review of one criterion: "Reviewed by EMAS" or "Needs more", with a comment the leads see in their
    workspace and by email (unless `notify` is false: the demo's made-up reviews email nobody)."""
    status = CriterionStatus(status)
    if status not in (CriterionStatus.REVIEWED, CriterionStatus.NEEDS_MORE):
        raise ValueError("A review is either “Reviewed by EMAS” or “Needs more”.")
    with transaction.atomic():
        progress = _progress(school, criterion)
        progress.status = status
        progress.review_comment = comment
        progress.reviewed_at = timezone.now()
        progress.reviewed_by = user
        progress.save()
        _log(school, CRITERION_REVIEWED, user=user, criterion=criterion.number, status=status.label, comment=comment)
        if not notify:
            return progress
        context = {
            "school": school,
            "criterion": criterion,
            "status": status,
            "comment": comment,
            "sign_in_url": sign_in_url(),
        }
        emas = emas_address()
        subject = f"EMAS reviewed criterion {criterion.number} for {school.name}: {status.label}"
        _email(
            "criterion_reviewed", context, subject, _leads(school), [emas] if emas else [], "School criterion reviewed"
        )
    return progress


def waiting_for_review():
    """Schools with criteria marked ready that EMAS have not reviewed since, most waiting first: the dashboard's
    list, each with `waiting`, the number of its criteria waiting."""
    return list(
        School.objects.annotate(
            waiting=Count("criterion_progress", filter=Q(criterion_progress__status=CriterionStatus.READY))
        )
        .filter(waiting__gt=0)
        .order_by("-waiting", "name")
    )


def sign_in_url():
    """The full address of the workspace's sign-in page (for emails), or "" when there is no live directory."""
    from .models import SchoolDirectoryPage

    directory = SchoolDirectoryPage.objects.live().first()
    return f"{directory.full_url}{directory.reverse_subpage('sign_in')}" if directory and directory.full_url else ""


def next_step(school):
    return NEXT_STEPS.get(S(school.status), "")
