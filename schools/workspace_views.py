"""The school leads' side of the award workspace, behind the directory page's routes (/schools/sign-in/,
/schools/workspace/…): signing in by emailed link, the task list, each criterion's evidence, the application and
the printable portfolio. The rules are in workspace.py and sign_in.py; these views check who is asking, read the
forms and answer.

Every answer here is private: `private()` marks it never to be stored by a browser's shared cache or a proxy, and
a request carrying the session cookie never reaches the page cache. A lead only ever sees their own school: every
object is looked up through the signed-in lead's school, so another school's id is simply not found (404).
"""

from contextlib import suppress
from functools import wraps

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from resources.models import AwardCriterion, ResourceIndexPage, ResourcePage
from security.public_input import RateLimit, handle_public_form

from . import sign_in as signing
from . import workspace
from .forms import DeclarationForm, EvidenceForm, SignInForm
from .models import Evidence, EvidenceFile

SIGN_IN_SENT = "sent"
RATE_LIMITED = (
    "You have asked for sign-in links too many times. Wait {minutes} minutes, then try again, or contact EMAS."
)


def private(response):
    response["Cache-Control"] = "private, no-store"
    return response


def _url(page, name, *args):
    return page.url + page.reverse_subpage(name, args=args)


def _render(request, page, template, context, status=200):
    full = page.get_context(request)
    full.update(context)
    full["workspace_page"] = page
    return private(TemplateResponse(request, f"schools/workspace/{template}", full, status=status))


def lead_required(view):
    """The view gets the signed-in lead; anybody else goes to the sign-in page (saying why, if they were signed
    out for being idle or removed)."""

    @wraps(view)
    def wrapper(request, page, *args, **kwargs):
        try:
            lead = signing.signed_in_lead(request)
        except signing.SignedOut as signed_out:
            if signed_out.reason:
                request.session["school_sign_in_notice"] = signed_out.reason
            return private(redirect(_url(page, "sign_in")))
        return view(request, page, lead, *args, **kwargs)

    return wrapper


# --- Signing in ------------------------------------------------------------------------------------------------


def sign_in(request, page):
    """Ask for a link. The answer is the same whatever address is typed: it tells nobody who is a lead."""

    def render(form, status=200, problem=""):
        context = {
            "form": form,
            "sent": request.GET.get(SIGN_IN_SENT) == "1",
            "notice": problem or request.session.pop("school_sign_in_notice", ""),
            "minutes": settings.SCHOOL_SIGN_IN_LINK_MINUTES,
        }
        return _render(request, page, "sign_in.html", context, status=status)

    if request.method != "POST":
        return render(SignInForm())
    form = SignInForm(request.POST)
    sent = redirect(_url(page, "sign_in") + f"?{SIGN_IN_SENT}=1")
    limit = RateLimit("school-sign-in")
    # Also per address typed (whether or not it is a lead's): nobody can fill a lead's inbox from many addresses.
    per_address = RateLimit(
        "school-sign-in-address", settings.SCHOOL_SIGN_IN_LINKS_PER_ADDRESS, settings.SCHOOL_SIGN_IN_ADDRESS_WINDOW
    )
    return handle_public_form(
        request,
        form,
        rate_limits=[limit, (per_address, request.POST.get("email", "").strip().lower())],
        rate_limited_message=RATE_LIMITED.format(minutes=limit.wait_minutes()),
        save=lambda form: signing.send_links(
            form.cleaned_data["email"], lambda token: page.full_url + page.reverse_subpage("sign_in_link", args=[token])
        ),
        render=render,
        on_success=lambda _count: private(sent),
        on_honeypot=lambda: private(sent),
        what="School sign-in link",
    )


def sign_in_link(request, page, token):
    """Opening the emailed link shows a button; pressing it (POST) signs in. A link that cannot (used, expired,
    unknown) says so plainly, with the form for a new one."""
    try:
        link = signing.check_link(token)
    except signing.LinkProblem as problem:
        context = {"form": SignInForm(), "notice": problem.message, "minutes": settings.SCHOOL_SIGN_IN_LINK_MINUTES}
        return _render(request, page, "sign_in.html", context, status=410)
    if request.method == "POST":
        try:
            lead = signing.use_link(request, token)
        except signing.LinkProblem as problem:
            context = {"form": SignInForm(), "notice": problem.message, "minutes": settings.SCHOOL_SIGN_IN_LINK_MINUTES}
            return _render(request, page, "sign_in.html", context, status=410)
        workspace.record_sign_in(lead)
        return private(redirect(_url(page, "workspace_overview")))
    return _render(request, page, "sign_in_link.html", {"lead": link.lead, "school": link.lead.school})


@require_POST
def sign_out(request, page):
    signing.sign_out(request)
    request.session["school_sign_in_notice"] = "You have signed out."
    return private(redirect(_url(page, "sign_in")))


# --- The workspace ---------------------------------------------------------------------------------------------


def _workspace_context(lead, **extra):
    school = lead.school
    return {
        "lead": lead,
        "school": school,
        "editable": workspace.is_editable(school),
        "next_step": workspace.next_step(school),
        **extra,
    }


@lead_required
def workspace_overview(request, page, lead):
    task_list = workspace.tasks(lead.school)
    context = _workspace_context(
        lead,
        groups=workspace.grouped(task_list),
        completed=workspace.completed_count(task_list),
        total=len(task_list),
        can_apply=workspace.can_apply(lead.school, task_list),
        submitted=request.GET.get("sent") == "1",
    )
    return _render(request, page, "overview.html", context)


def _criterion_or_404(number):
    return get_object_or_404(AwardCriterion.objects.select_related("process"), number=number)


def _suggested_resources(criterion):
    """Live, public resources of the library that help with the criterion (the library's own tagging)."""
    return list(ResourcePage.objects.live().public().filter(criteria=criterion).order_by("title")[:6])


@lead_required
def workspace_criterion(request, page, lead, number):
    criterion = _criterion_or_404(number)
    school = lead.school
    form = EvidenceForm()
    problem, status = "", 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "ready":
                workspace.mark_ready(school, criterion, lead)
                return private(redirect(_url(page, "workspace_overview") + f"#criterion-{criterion.number}"))
            form = EvidenceForm(request.POST, request.FILES)
            if form.is_valid():
                workspace.add_evidence(school, criterion, lead, form.evidence_data(), form.cleaned_data["files"])
                return private(redirect(_url(page, "workspace_criterion", criterion.number) + "?added=1#evidence"))
            form.note_files_not_kept()
        except workspace.WorkspaceLocked as locked:
            problem, status = locked.message, 409
    task = workspace.task(school, criterion)
    context = _workspace_context(
        lead,
        task=task,
        criterion=criterion,
        form=form,
        problem=problem,
        added=request.GET.get("added") == "1",
        resources=_suggested_resources(criterion),
        library_url=_library_url(criterion),
    )
    return _render(request, page, "criterion.html", context, status=status)


def _library_url(criterion):
    library = ResourceIndexPage.objects.live().public().first()
    return f"{library.url}?criterion={criterion.number}" if library else ""


@lead_required
@require_POST
def workspace_evidence_delete(request, page, lead, evidence_id):
    entry = get_object_or_404(Evidence.objects.select_related("criterion"), pk=evidence_id, school=lead.school)
    number = entry.criterion.number
    with suppress(workspace.WorkspaceLocked):  # the criterion page then says the workspace is read-only
        workspace.delete_evidence(entry, lead)
    return private(redirect(_url(page, "workspace_criterion", number) + "#evidence"))


def evidence_file_response(attached):
    """The file as a download, never shown inline: the browser cannot run it as a page of the site."""
    try:
        handle = attached.file.open("rb")
    except FileNotFoundError as error:
        raise Http404("No such file") from error
    response = FileResponse(handle, as_attachment=True, filename=attached.name, content_type=attached.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return private(response)


@lead_required
def workspace_file(request, page, lead, key):
    attached = get_object_or_404(EvidenceFile, key=key, evidence__school=lead.school)
    return evidence_file_response(attached)


@lead_required
def workspace_apply(request, page, lead):
    """Check your answers, declare, send. Once sent the workspace is read-only until EMAS return it."""
    school = lead.school
    task_list = workspace.tasks(school, with_evidence=True)
    form = DeclarationForm()
    problem, status = "", 200
    if request.method == "POST":
        form = DeclarationForm(request.POST)
        if form.is_valid():
            try:
                workspace.submit_application(school, lead)
            except workspace.WorkspaceLocked as locked:
                problem, status = locked.message, 409
            else:
                return private(redirect(_url(page, "workspace_overview") + "?sent=1"))
    context = _workspace_context(
        lead,
        tasks=task_list,
        form=form,
        problem=problem,
        can_apply=workspace.can_apply(school, task_list),
        completed=workspace.completed_count(task_list),
    )
    return _render(request, page, "apply.html", context, status=status)


@lead_required
def workspace_portfolio(request, page, lead):
    task_list = workspace.tasks(lead.school, with_evidence=True)
    context = _workspace_context(lead, groups=workspace.grouped(task_list))
    return _render(request, page, "portfolio.html", context)
