"""The objects tests need, made in one place: plain functions, each making the smallest thing a test asks for.

Fixtures in `tests/conftest.py` wrap the few that most tests share; a test that needs something particular calls
these functions itself. Everything is made the way the site makes it (pages added to the tree and published,
posts through `submit_post`, resources with their relations saved with the page), so a test exercises the real
code, never a shortcut around it.
"""

import datetime
import io
import itertools
import zipfile
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from wagtail.images import get_image_model
from wagtail.models import Page, Site

_numbers = itertools.count(1)

# --- People ---------------------------------------------------------------------------------------------------


def make_superuser(username="editor", email="editor@coventry.example.org", password="a-long-password-1", **fields):
    return get_user_model().objects.create_superuser(username, email, password, **fields)


def make_staff(*group_names, username=None, email="staff@coventry.example.org"):
    """A user in the given admin groups only (`ensure_admin_groups` must have created them)."""
    user = get_user_model().objects.create_user(
        username or "-".join(group_names).lower().replace(" ", ""), email, "a-long-staff-passphrase"
    )
    user.groups.set(Group.objects.filter(name__in=group_names))
    return user


def logged_in_client(client, *group_names):
    """`client`, signed in as a new user in `group_names`."""
    client.force_login(make_staff(*group_names))
    return client


# --- Files ----------------------------------------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def image_bytes(fmt="JPEG", size=(64, 48), color=(200, 30, 30), **save_kwargs):
    buffer = io.BytesIO()
    mode = "RGBA" if fmt in {"PNG", "WEBP"} else "RGB"
    Image.new(mode, size, color).save(buffer, fmt, **save_kwargs)
    return buffer.getvalue()


def jpeg_with_gps():
    """A JPEG carrying EXIF GPS (the school's location), camera make and a comment, like a phone photo."""
    image = Image.new("RGB", (80, 60), (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = 1  # Orientation
    exif[0x8825] = {1: "N", 2: (52.0, 24.0, 30.0), 3: "W", 4: (1.0, 30.0, 45.0)}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes(), comment=b"Taken at Whitley Primary")
    return buffer.getvalue()


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def ooxml(kind):
    """A minimal Word (`docx`) or PowerPoint (`pptx`) file: a zip with the content type that names it."""
    main = {"docx": "word/document.xml", "pptx": "ppt/presentation.xml"}[kind]
    ctype = {
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    }[kind]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'<?xml version="1.0"?><Types><Override PartName="/{main}" ContentType="{ctype}"/></Types>',
        )
        archive.writestr(main, "<xml/>")
    return buffer.getvalue()


def wagtail_image(title="Card", width=240, height=160):
    """An image in Wagtail's library, drawn as the demo draws its pictures."""
    from demo.files import make_banner_image

    image = get_image_model()(
        title=title, file=ImageFile(io.BytesIO(make_banner_image(width, height)), name="card.jpg")
    )
    image.save()
    return image


# --- Pages ----------------------------------------------------------------------------------------------------


def build_demo_home():
    """The base app's part of the demo: the real site structure (`load_site_structure`) with the demo's extras
    (hero picture, checklist document, an enquiry address: demo/content/home.toml). Returns the home page."""
    from demo import loader
    from home import structure

    return loader.load(structure.load(io.StringIO()), io.StringIO(), parts=["home"])


def load_demo_part(home, part, stdout=None, today=None):
    """One part of the demo (demo/content/<part>.toml) under `home`, its section of the structure made if missing."""
    from demo import loader

    return loader.load(home, stdout or io.StringIO(), parts=[part], today=today)


def demo_posting_code():
    """The code the demo opens its board to (demo/content/board.toml), as a school would type it."""
    from demo import loader

    return next(fill["set"]["posting_code"] for fill in loader.read("board")["fill"] if fill["page"] == "board")


def make_home(slug="test-home"):
    """A bare home page as the default site's root: for tests that build everything they look at."""
    from home.models import HomePage

    home = HomePage(title="Schools of Sanctuary", slug=slug, hero_heading="Welcome", hero_intro="Coventry.")
    Page.get_first_root_node().add_child(instance=home)
    Site.objects.update(root_page=home)
    return home


# --- The community board --------------------------------------------------------------------------------------

CODE = "SANCTUARY-TEST-42"


def make_board(home, slug="test-board", **fields):
    """A published board under `home` with Learn, Embed and Share sections (posting by code unless told)."""
    from board.models import BoardPage, BoardSection

    board = BoardPage(
        title=fields.pop("title", "Test board"),
        slug=slug,
        posting_mode=fields.pop("posting_mode", BoardPage.PostingMode.CODE),
        posting_code=fields.pop("posting_code", CODE),
        **fields,
    )
    for name, section_slug in [("Learn", "learn"), ("Embed", "embed"), ("Share", "share")]:
        board.sections.add(BoardSection(name=name, slug=section_slug, description=f"{name} ideas"))
    home.add_child(instance=board)
    board.save_revision().publish()
    return board


def make_open_board(home):
    """Anyone may post and posts appear at once (unless a blocked word holds them)."""
    from board.models import BoardPage

    return make_board(
        home,
        slug="open-board",
        title="Open board",
        posting_mode=BoardPage.PostingMode.ANYONE,
        posting_code="",
        requires_approval=False,
        comments_enabled=True,
    )


def post_data(board, **overrides):
    """What a teacher types into the board's posting form."""
    data = {
        "posting_code": CODE,
        "section": board.sections.get(slug="learn").pk,
        "title": "Our welcome assembly",
        "message": "Pupils said hello in twelve languages.",
        "link": "",
        "image_alt": "",
        "display_name": "Mrs Begum",
        "school": "Whitley Primary",
        "email": "begum@school.example.org",
        "website_url": "",
    }
    data.update(overrides)
    return data


def make_post(board, status=None, section="learn", **fields):
    """A post submitted as a school submits one, then set to `status` (approved unless told)."""
    from board.models import BoardPost
    from board.services import submit_post

    status = status or BoardPost.Status.APPROVED
    data = {
        "section": board.sections.get(slug=section),
        "title": fields.pop("title", "A post"),
        "message": fields.pop("message", "Some text"),
        **fields,
    }
    post, _ = submit_post(board, data)
    extra = {"approved_at": timezone.now()} if status == BoardPost.Status.APPROVED else {}
    BoardPost.objects.filter(pk=post.pk).update(status=status, **extra)
    post.refresh_from_db()
    return post


# --- Events ---------------------------------------------------------------------------------------------------

SIGNUP = {
    "name": "Amira Hassan",
    "email": "a.hassan@school.example.org",
    "school": "Whitley Primary",
    "role": "teacher",
    "access_needs": "",
    "consent": "on",
}


def make_event(index=None, **fields):
    """A published online event under the events index, ten days ahead with two places unless told."""
    from events.models import EventIndexPage, EventPage

    start = fields.pop("start", (timezone.now() + timedelta(days=10)).replace(second=0, microsecond=0))
    number = next(_numbers)
    defaults = dict(
        title=f"Test event {number}",
        slug=f"test-event-{number}",
        summary="A test event for Coventry schools.",
        start=start,
        end=fields.pop("end", start + timedelta(hours=1, minutes=30)),
        event_format=EventPage.Format.ONLINE,
        joining_link="https://teams.example.org/join/SECRET-JOIN-123",
        capacity=2,
    )
    defaults.update(fields)
    event = EventPage(**defaults)
    (index or EventIndexPage.objects.get()).add_child(instance=event)
    event.save_revision().publish()
    return EventPage.objects.get(pk=event.pk)


# --- The resource library -------------------------------------------------------------------------------------


def make_library(home):
    """An empty resource library under `home`, with the vocabularies its facets use."""
    from resources.models import Language, ResourceIndexPage, ResourceType, ensure_vocabularies

    ensure_vocabularies()
    library = ResourceIndexPage(title="Resource library", slug="resources", intro="Find what helps your school.")
    home.add_child(instance=library)
    for slug, name in [("guide", "Guide"), ("lesson-plan", "Lesson plan"), ("assembly", "Assembly")]:
        ResourceType.objects.get_or_create(slug=slug, defaults={"name": name})
    for code, name in [("en", "English"), ("ar", "Arabic"), ("uk", "Ukrainian")]:
        Language.objects.get_or_create(code=code, defaults={"name": name})
    return library


def add_resource(
    library,
    title,
    *,
    processes=("learn",),
    audiences=("primary",),
    resource_type="guide",
    languages=("en",),
    tags=(),
    criteria=(),
    summary="A resource for schools.",
    date=None,
    external_url="https://example.org/resource",
    live=True,
    **fields,
):
    """Add a resource the way the admin stores one (tags, processes… committed with the page). `criteria` are the
    award criteria's numbers (the migrated database has all eight)."""
    from resources.models import Audience, AwardCriterion, Language, Process, ResourcePage, ResourceType

    resource = ResourcePage(
        title=title,
        slug=fields.pop("slug", f"resource-{next(_numbers)}"),
        summary=summary,
        resource_type=ResourceType.objects.get(slug=resource_type) if resource_type else None,
        publication_date=date or datetime.date(2024, 1, 1),
        external_url=external_url,
        live=live,
        **fields,
    )
    resource.processes = list(Process.objects.filter(slug__in=processes))
    resource.audiences = list(Audience.objects.filter(slug__in=audiences))
    resource.languages = list(Language.objects.filter(code__in=languages))
    resource.criteria = list(AwardCriterion.objects.filter(number__in=criteria))
    resource.tags.add(*tags)
    library.add_child(instance=resource)
    return resource


# --- The enquiry form -----------------------------------------------------------------------------------------

ENQUIRY = {
    "your_name": "Amira Hassan",
    "work_email_address": "a.hassan@school.example.org",
    "school_or_setting": "Whitley Primary",
    "what_is_your_enquiry_about": "Applying for the award",
    "your_message": "How do we start collecting evidence for Learn?",
}


# --- The schools network --------------------------------------------------------------------------------------

# The moves that bring a new school ("interested") to each status, the shortest way.
_TO_AWARD = ["pledge_signed", "working_towards", "application_submitted", "appraisal_booked", "awarded"]
JOURNEY_PATHS = {
    "interested": [],
    "pledge_signed": _TO_AWARD[:1],
    "working_towards": _TO_AWARD[:2],
    "application_submitted": _TO_AWARD[:3],
    "appraisal_booked": _TO_AWARD[:4],
    "awarded": _TO_AWARD,
    "renewal_due": [*_TO_AWARD, "renewal_due"],
    "reawarded": [*_TO_AWARD, "renewal_due", "reawarded"],
    "lapsed": [*_TO_AWARD, "lapsed"],
}
PANEL = "Ms A Teacher\nMr B Governor\nMs C Sanctuary (lived experience)"


def make_school(name=None, *, status="interested", awarded_on=None, contacts=(), **fields):
    """A school saved as the admin saves one, then moved on the journey to `status` through `School.move_to` (the
    real moves, each in the audit log), the award (and re-award) dated `awarded_on` (default: today).
    `contacts`: (name, email) pairs, its sanctuary leads."""
    from schools.models import Phase, School, SchoolContact, SchoolType

    number = next(_numbers)
    school = School(
        name=name or f"Test School {number}",
        phase=fields.pop("phase", Phase.PRIMARY),
        school_type=fields.pop("school_type", SchoolType.MAINTAINED),
        **fields,
    )
    school.full_clean()
    school.save()
    for contact_name, email in contacts:
        SchoolContact.objects.create(school=school, name=contact_name, email=email, role="Sanctuary lead")
    awarded_on = awarded_on or timezone.localdate()
    for step in JOURNEY_PATHS[status]:
        on = awarded_on if step in {"awarded", "reawarded", "renewal_due", "lapsed"} else None
        on = on or awarded_on - timedelta(days=30)
        school.move_to(step, on=on, appraisal_panel=PANEL if step == "appraisal_booked" else "")
    return school


def make_listed_school(name, status="awarded", *, listed=True, on=None, contacts=(), **fields):
    """A school as the directory shows it: listed unless told, moved along the journey to `status` with
    `School.move_to` (each move `on` that date, default today); `contacts` are (name, email, phone) of its private
    leads."""
    from schools.models import School, SchoolContact

    fields.setdefault("phase", "primary")
    fields.setdefault("school_type", "maintained")
    school = School.objects.create(name=name, listed_publicly=listed, **fields)
    for contact_name, email, phone in contacts:
        SchoolContact.objects.create(school=school, name=contact_name, email=email, phone=phone, role="Deputy head")
    for step in JOURNEY_PATHS[status]:
        school.move_to(step, on=on)
    return school


def make_school_directory(home):
    """The /schools/ page under `home`, as the site structure makes it."""
    from schools import structure

    return structure.load(home, io.StringIO())


def lead_client(lead):
    """A test client signed in to the award workspace as `lead` (a SchoolContact), as its emailed link would sign
    it in (tests/schools/test_sign_in.py goes through the link itself)."""
    import time

    from django.test import Client

    from schools import sign_in

    client = Client()
    session = client.session
    session[sign_in.SESSION_KEY] = {"lead": lead.pk, "email": lead.email.lower(), "seen": time.time()}
    session.save()
    return client


def add_evidence(school, number, lead=None, files=(), **fields):
    """An evidence entry for criterion `number`, added as the workspace adds one (files: (name, bytes) pairs)."""
    from resources.models import AwardCriterion
    from schools import workspace
    from schools.forms import EvidenceFilesField

    data = {"done_on": timezone.localdate() - timedelta(days=7), "what_was_done": f"Evidence for {number}.", **fields}
    data.setdefault("who_took_part", "")
    data.setdefault("impact", "")
    data.setdefault("link", "")
    cleaned = EvidenceFilesField(required=False).clean([SimpleUploadedFile(name, content) for name, content in files])
    return workspace.add_evidence(school, AwardCriterion.objects.get(number=number), lead, data, cleaned)
