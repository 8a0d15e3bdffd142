"""The record EMAS keeps of each school in the network: who it is, where it is on the award journey, and who its
sanctuary leads are.

A school is a model edited in the admin, not a page: its record holds private contacts, and its place on the
journey changes only through `School.move_to` (the rules are in `journey.py`), which records each move in
Wagtail's audit log. The public sees only schools that agreed to be listed, through the directory page
(`SchoolDirectoryPage`), and never a contact.
"""

import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.text import slugify
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.fields import RichTextField
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry, Orderable, Page
from wagtail.search import index

from home.blocks import RICH_TEXT_FEATURES
from home.models import PageMetaMixin, image_with_alt_text
from home.routing import page_view

from . import journey
from .journey import JourneyStatus

MOVE_ACTION = "schools.move"
# Addresses under /schools/ that the workspace uses (SchoolDirectoryPage's routes), so no school may take them.
RESERVED_SLUGS = frozenset({"sign-in", "sign-out", "workspace"})


class Phase(models.TextChoices):
    EARLY_YEARS = "early_years", "Early years"
    PRIMARY = "primary", "Primary"
    SECONDARY = "secondary", "Secondary"
    ALL_THROUGH = "all_through", "All-through"
    SPECIAL = "special", "Special"
    FURTHER_EDUCATION = "further_education", "Further education"


class SchoolType(models.TextChoices):
    MAINTAINED = "maintained", "Maintained"
    ACADEMY = "academy", "Academy"
    INDEPENDENT = "independent", "Independent"
    OTHER = "other", "Other"


class Area(models.TextChoices):
    """Coventry's eighteen electoral wards: the areas the council's own services name."""

    BABLAKE = "bablake", "Bablake"
    BINLEY_AND_WILLENHALL = "binley-and-willenhall", "Binley and Willenhall"
    CHEYLESMORE = "cheylesmore", "Cheylesmore"
    EARLSDON = "earlsdon", "Earlsdon"
    FOLESHILL = "foleshill", "Foleshill"
    HENLEY = "henley", "Henley"
    HOLBROOK = "holbrook", "Holbrook"
    LONGFORD = "longford", "Longford"
    LOWER_STOKE = "lower-stoke", "Lower Stoke"
    RADFORD = "radford", "Radford"
    SHERBOURNE = "sherbourne", "Sherbourne"
    ST_MICHAELS = "st-michaels", "St Michael’s"
    UPPER_STOKE = "upper-stoke", "Upper Stoke"
    WAINBODY = "wainbody", "Wainbody"
    WESTWOOD = "westwood", "Westwood"
    WHOBERLEY = "whoberley", "Whoberley"
    WOODLANDS = "woodlands", "Woodlands"
    WYKEN = "wyken", "Wyken"


URN_VALIDATOR = RegexValidator(
    r"^\d{6}$", "Enter the school’s URN as the 6 digits the DfE gives it (for example 103698), or leave it empty."
)
# A full UK postcode: outward code (area, district) and inward code (sector, unit), e.g. CV1 5FB, B33 8TH.
POSTCODE_PATTERN = re.compile(r"^(GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?[0-9][0-9A-HJKMNPR-Y]? ?[0-9][ABD-HJLNP-UW-Z]{2})$")


def normalise_postcode(value):
    """Upper case, one space before the inward code: "cv15fb" and "CV1  5FB" are both "CV1 5FB"."""
    compact = re.sub(r"\s+", "", value or "").upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def validate_postcode(value):
    if value and not POSTCODE_PATTERN.match(normalise_postcode(value)):
        raise ValidationError("Enter a full UK postcode, for example CV1 5FB.")


SchoolPhoto = image_with_alt_text(
    "photo",
    help_text="The school's logo or a photograph of the school (no pupils' faces without consent). Shown on its "
    "public page if the school is listed.",
    alt_help_text="Describe the picture for people who cannot see it, e.g. “The school’s logo: a green oak leaf”.",
    alt_text_required=True,
)


class SchoolQuerySet(models.QuerySet):
    def listed(self):
        """The schools the public may see (the directory, their pages, the sitemap, the home page's counts): listed
        by consent, and holding the award or on the way to it. "Interested" is no commitment yet, and a lapsed
        award would read as a current one, so those schools are left out even when listed."""
        return self.filter(listed_publicly=True, status__in=journey.HOLDS_AWARD | journey.ON_THE_WAY)


class School(SchoolPhoto, ClusterableModel):
    name = models.CharField(max_length=200, unique=True, help_text="The school's name as parents know it.")
    slug = models.SlugField(
        max_length=200,
        unique=True,
        blank=True,
        help_text="The end of the school's public address (/schools/<slug>/). Made from the name if left empty.",
    )
    phase = models.CharField(max_length=20, choices=Phase.choices)
    school_type = models.CharField("type", max_length=20, choices=SchoolType.choices)
    urn = models.CharField(
        "DfE URN",
        max_length=6,
        unique=True,
        null=True,
        blank=True,
        validators=[URN_VALIDATOR],
        help_text="The Unique Reference Number from Get Information about Schools (6 digits). Optional.",
    )
    address = models.TextField(blank=True, help_text="Street address, without the postcode.")
    postcode = models.CharField(max_length=8, blank=True, validators=[validate_postcode])
    area = models.CharField("area of the city", max_length=30, choices=Area.choices, blank=True)
    website = models.URLField(blank=True)
    listed_publicly = models.BooleanField(
        "listed in the public directory",
        default=False,
        help_text="Tick only when the school has agreed to be listed at /schools/. Contacts are never shown.",
    )
    description = RichTextField(
        blank=True, features=RICH_TEXT_FEATURES, help_text="Public: a short introduction to the school."
    )
    learn_story = RichTextField(
        "what the school did under Learn", blank=True, features=RICH_TEXT_FEATURES, help_text="Public."
    )
    embed_story = RichTextField(
        "what the school did under Embed", blank=True, features=RICH_TEXT_FEATURES, help_text="Public."
    )
    share_story = RichTextField(
        "what the school did under Share", blank=True, features=RICH_TEXT_FEATURES, help_text="Public."
    )

    # The journey: changed only by `move_to` (the admin's "Move on the journey"), never typed in the edit form.
    status = models.CharField(
        max_length=30, choices=JourneyStatus.choices, default=JourneyStatus.INTERESTED, editable=False, db_index=True
    )
    status_changed_on = models.DateField(null=True, blank=True, editable=False)
    pledge_signed_on = models.DateField(null=True, blank=True, editable=False)
    application_submitted_on = models.DateField(null=True, blank=True, editable=False)
    appraisal_on = models.DateField("appraisal visit", null=True, blank=True, editable=False)
    appraisal_panel = models.TextField(blank=True, editable=False)
    first_awarded_on = models.DateField(null=True, blank=True, editable=False)
    awarded_on = models.DateField(
        "current award since", null=True, blank=True, editable=False, db_index=True, help_text="The award's date."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SchoolQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def _fill_in(self):
        """An empty URN is no URN (NULL, so many schools may have none); an empty slug is made from the name."""
        self.urn = (self.urn or "").strip() or None
        if not self.slug:
            self.slug = slugify(self.name)[:200]

    def clean(self):
        super().clean()
        self.postcode = normalise_postcode(self.postcode)
        self._fill_in()  # before the form's uniqueness checks, which follow clean()
        if self.slug in RESERVED_SLUGS:
            raise ValidationError({"slug": f"“{self.slug}” is an address of the site's own: choose another."})

    def save(self, *args, **kwargs):
        self._fill_in()  # for schools made in code (the demo, tests) as well as through the form
        super().save(*args, **kwargs)

    # --- the award ---------------------------------------------------------------------------------------------

    @property
    def expires_on(self):
        """The day the current award ends: the award date plus three years (derived, never stored or typed)."""
        return journey.expiry_of(self.awarded_on)

    @property
    def renewal_due_from(self):
        return journey.renewal_due_from(self.awarded_on)

    @property
    def holds_award(self):
        return self.status in journey.HOLDS_AWARD

    @property
    def public_status(self):
        """What the directory says: "Awarded 2025" (the year of the current award) or "Working towards"."""
        if self.holds_award and self.awarded_on:
            word = "Re-awarded" if self.status == JourneyStatus.REAWARDED else "Awarded"
            return f"{word} {self.awarded_on.year}"
        if self.status in journey.ON_THE_WAY:
            return "Working towards"
        return JourneyStatus(self.status).label

    def allowed_moves(self):
        return [JourneyStatus(status) for status in journey.ALLOWED_MOVES[JourneyStatus(self.status)]]

    def move_to(self, status, *, user=None, on=None, note="", appraisal_panel=""):
        """Move the school on the journey, setting that step's date, and record who, when and why in the audit
        log. Raises `journey.IllegalMove` (with a message for the editor) for a move the journey does not allow,
        and ValueError for an award dated in the future."""
        status = JourneyStatus(status)
        journey.check_move(self.status, status)
        on = on or timezone.localdate()
        if status in journey.STARTS_AN_AWARD and on > timezone.localdate():
            raise journey.IllegalMove("An award cannot be dated in the future: record it on the day it is made.")
        previous = JourneyStatus(self.status)
        self.status = status
        self.status_changed_on = on
        if status == JourneyStatus.PLEDGE_SIGNED:
            self.pledge_signed_on = on
        elif status == JourneyStatus.APPLICATION_SUBMITTED:
            self.application_submitted_on = on
        elif status == JourneyStatus.APPRAISAL_BOOKED:
            self.appraisal_on = on
            self.appraisal_panel = appraisal_panel
        elif status in journey.STARTS_AN_AWARD:
            self.awarded_on = on
            self.first_awarded_on = self.first_awarded_on or on
        with transaction.atomic():
            self.save()
            log(
                instance=self,
                action=MOVE_ACTION,
                user=user,
                data={
                    "from": previous.value,
                    "from_label": previous.label,
                    "to": status.value,
                    "to_label": status.label,
                    "on": on.isoformat(),
                    "note": note,
                    "appraisal_panel": appraisal_panel,
                },
            )

    def timeline(self):
        """The school's moves on the journey, newest first, from the audit log."""
        return ModelLogEntry.objects.for_instance(self).filter(action=MOVE_ACTION).select_related("user")


class SchoolContact(Orderable):
    """One of the school's sanctuary leads. Private: seen by EMAS in the admin, never on a public page."""

    school = ParentalKey(School, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=120)
    role = models.CharField(max_length=120, blank=True, help_text="e.g. Deputy head, EAL coordinator.")
    email = models.EmailField(help_text="Renewal reminders are sent here.")
    phone = models.CharField(
        max_length=30,
        blank=True,
        validators=[RegexValidator(r"^\+?[0-9 ()-]{7,30}$", "Enter a phone number of digits and spaces.")],
    )

    def __str__(self):
        return f"{self.name} ({self.school})"


class RenewalReminder(models.Model):
    """A renewal reminder sent (90 or 30 days before an award expires): one row per award and reminder, so each is
    sent once, however often the daily job runs."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="renewal_reminders")
    awarded_on = models.DateField()
    days_before = models.PositiveSmallIntegerField()
    queued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "awarded_on", "days_before"], name="one_reminder_per_award")
        ]

    def __str__(self):
        return f"{self.school}: {self.days_before} days before the award of {self.awarded_on:%d %B %Y} expires"


class SchoolDirectoryPage(RoutablePageMixin, PageMetaMixin, Page):
    """/schools/: the schools that agreed to be listed, with their place on the journey, and a page for each.

    Schools are not pages (their records hold private contacts and change through the journey's moves), so each
    school's public page is a route of this page, found by the school's slug."""

    intro = models.TextField(
        max_length=600,
        blank=True,
        help_text="A sentence or two above the list: what the award is and how a school joins the network.",
    )
    per_page = models.PositiveSmallIntegerField(
        default=24, help_text="Schools shown per page of the directory (the rest are on further pages)."
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("per_page"),
        HelpPanel(
            content="Schools are added and moved on the award journey in the admin's Schools menu. Only schools "
            "whose record says “listed in the public directory” appear here; contacts never do."
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1

    def get_sitemap_urls(self, request=None):
        """The directory, then the page of each school the public may see (`School.objects.listed()`)."""
        urls = super().get_sitemap_urls(request)
        if not urls:
            return urls
        base = urls[0]["location"]
        schools = School.objects.listed().order_by("slug").values_list("slug", "updated_at")
        return urls + [{"location": f"{base}{slug}/", "lastmod": updated_at} for slug, updated_at in schools]

    directory = page_view("", "schools.views.directory")
    # Each school's private award workspace (workspace_views.py), before the schools' own pages: these names are
    # reserved (RESERVED_SLUGS), so no school's address can take them.
    sign_in = page_view("sign-in/", "schools.workspace_views.sign_in")
    sign_in_link = page_view("sign-in/<str:token>/", "schools.workspace_views.sign_in_link")
    sign_out = page_view("sign-out/", "schools.workspace_views.sign_out")
    workspace_overview = page_view("workspace/", "schools.workspace_views.workspace_overview")
    workspace_criterion = page_view("workspace/criteria/<int:number>/", "schools.workspace_views.workspace_criterion")
    workspace_evidence_delete = page_view(
        "workspace/evidence/<int:evidence_id>/delete/", "schools.workspace_views.workspace_evidence_delete"
    )
    workspace_file = page_view("workspace/files/<uuid:key>/", "schools.workspace_views.workspace_file")
    workspace_apply = page_view("workspace/apply/", "schools.workspace_views.workspace_apply")
    workspace_portfolio = page_view("workspace/portfolio/", "schools.workspace_views.workspace_portfolio")
    school_detail = page_view("<slug:slug>/", "schools.views.school_detail")

    class Meta:
        verbose_name = "school directory page"


# --- The award workspace: each school's private preparation for the award ---------------------------------------


class CriterionStatus(models.TextChoices):
    """Where a school's evidence for one criterion stands, as its leads and EMAS see it (the task list's tags)."""

    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    READY = "ready", "Ready for review"
    REVIEWED = "reviewed", "Reviewed by EMAS"
    NEEDS_MORE = "needs_more", "Needs more"


# A criterion counts towards "Completed 3 of 8" once the school has said it is ready (and while EMAS agree).
COMPLETED_STATUSES = frozenset({CriterionStatus.READY, CriterionStatus.REVIEWED})


class CriterionProgress(models.Model):
    """A school's progress on one of the eight criteria: its status and EMAS's latest review.

    No row means "Not started"; the first evidence added makes one."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="criterion_progress")
    criterion = models.ForeignKey("resources.AwardCriterion", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=CriterionStatus.choices, default=CriterionStatus.IN_PROGRESS)
    ready_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_comment = models.TextField(blank=True, help_text="Shown to the school's leads in their workspace.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "criterion progress"
        constraints = [models.UniqueConstraint(fields=["school", "criterion"], name="one_progress_per_criterion")]

    def __str__(self):
        return f"{self.school}: criterion {self.criterion.number}, {self.get_status_display()}"


class Evidence(models.Model):
    """One dated entry of a school's evidence for a criterion: what was done, who took part, what changed.

    Private to the school's leads and EMAS: never on a public page, in search, the sitemap or a feed."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="evidence")
    criterion = models.ForeignKey("resources.AwardCriterion", on_delete=models.PROTECT, related_name="+")
    done_on = models.DateField("when it happened")
    what_was_done = models.TextField(max_length=3000)
    who_took_part = models.TextField(max_length=1000, blank=True)
    impact = models.TextField("what difference it made", max_length=3000, blank=True)
    link = models.URLField(max_length=500, blank=True)
    added_by = models.ForeignKey(
        SchoolContact, null=True, blank=True, on_delete=models.SET_NULL, related_name="evidence_added"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-done_on", "-pk"]
        verbose_name_plural = "evidence"

    def __str__(self):
        return f"{self.school}: criterion {self.criterion.number}, {self.done_on:%d %B %Y}"


def evidence_file_path(instance, filename):
    """A name nobody can guess (the file's random key), under a folder no URL of the site serves."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"schools/evidence/{instance.key.hex}.{extension}"


class EvidenceFile(models.Model):
    """A file attached to an evidence entry (PDF, Word, PowerPoint or an image re-encoded without its metadata).

    Served only through the workspace's and the admin's file views, which check who is asking, by its random key:
    there is no public or guessable address."""

    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="files")
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField(upload_to=evidence_file_path, max_length=200)
    name = models.CharField(max_length=120, help_text="The file's name as the school uploaded it.")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.name


class LeadSignInLink(models.Model):
    """A one-time sign-in link emailed to a sanctuary lead: bound to that lead, valid for
    SCHOOL_SIGN_IN_LINK_MINUTES, used once. Only a hash of its token is stored, so the database cannot sign
    anybody in."""

    lead = models.ForeignKey(SchoolContact, on_delete=models.CASCADE, related_name="sign_in_links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Sign-in link for {self.lead} made {self.created_at:%d %B %Y %H:%M}"


@receiver(post_delete, sender=EvidenceFile)
def delete_evidence_file_bytes(sender, instance, **kwargs):
    """The file's bytes go with its row (deleted by the lead, retention, or the school's deletion), once the
    transaction that deleted the row has committed: a rolled-back deletion keeps its file."""
    name, storage = instance.file.name, instance.file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))
