"""Demo extras for the base app, on top of the site structure (`home/structure.py`): an illustration for the
home page, a getting-started checklist on the apply page, and a made-up enquiry address.

Loaded by `manage.py load_demo_content` after `build_site_structure`. Only adds what is missing, so what an
editor changed between two runs is kept. Nothing here belongs on a production site.
"""

import io

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Site

from .demo_files import illustration_description, make_banner_image, make_pdf
from .models import ContentPage, SiteSettings

DEMO_ENQUIRY_EMAIL = "emas.enquiries@example.org"


def _demo_image(title, description, name="circles"):
    Image = get_image_model()
    image = Image.objects.filter(title=title).first()
    if image is None:
        image = Image(
            title=title,
            description=description,
            file=ImageFile(io.BytesIO(make_banner_image(name=name)), name=f"sanctuary-{name}.jpg"),
        )
        image.save()
    return image


def _demo_document(title, filename, lines):
    Document = get_document_model()
    document = Document.objects.filter(title=title).first()
    if document is None:
        content = make_pdf(title, lines)
        document = Document(title=title, file_size=len(content))
        document.file.save(filename, ContentFile(content), save=False)
        document.save()
    return document


def add_hero_image(home):
    if home.hero_image_id is not None:
        return
    home.hero_image = _demo_image(
        "An open school door (illustration)", illustration_description("welcome-door"), "welcome-door"
    )
    home.hero_image_alt = ""
    home.save_revision().publish()


def add_checklist_to_apply_page(home):
    """The checklist goes after the Resource Pack link of the apply page, once."""
    apply_page = ContentPage.objects.child_of(home).filter(slug="apply").first()
    if apply_page is None or any(block.block_type == "document" for block in apply_page.body):
        return
    checklist = _demo_document(
        "Schools of Sanctuary: getting started checklist",
        "getting-started-checklist.pdf",
        [
            "Coventry Schools of Sanctuary - getting started",
            "",
            "1. Read the Schools of Sanctuary Resource Pack with your senior leaders.",
            "2. Name a lead member of staff and form a small team (staff, pupils, governors).",
            "3. Learn: plan lessons and assemblies about what it means to be seeking sanctuary.",
            "4. Embed: review how you welcome new arrivals and their families.",
            "5. Share: plan how you will share your vision and achievements.",
            "6. Contact the EMAS Teacher Team for guidance: 024 7697 5491.",
        ],
    )
    body = [(block.block_type, block.value) for block in apply_page.body]
    position = next((i + 1 for i, (kind, _) in enumerate(body) if kind == "call_to_action"), len(body))
    while position < len(body) and body[position][0] == "call_to_action" and body[position][1]["style"] == "link":
        position += 1
    body.insert(position, ("document", {"document": checklist, "title": "Getting started checklist"}))
    apply_page.body = body
    apply_page.save_revision().publish()


def load(home, stdout):
    """Add the base app's demo extras to the structure under `home`."""
    with transaction.atomic():
        add_hero_image(home)
        add_checklist_to_apply_page(home)
        settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
        if not settings.enquiry_email:
            settings.enquiry_email = DEMO_ENQUIRY_EMAIL
            settings.save()
    return home
