"""Demo content for the base app: the seed page recreated as real pages.

Loaded by `manage.py load_demo_content`. Idempotent: a page is created only when no page with its
slug exists in its place, so what an editor changed between two runs is kept.
"""

import io

from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, Site
from wagtail.rich_text import RichText

from .demo_files import make_banner_image, make_pdf
from .models import ContentPage, EnquiryFormField, FormPage, HomePage, SiteSettings

NATIONAL_SITE = "https://schools.cityofsanctuary.org/"
RESOURCE_PACK = "https://schools.cityofsanctuary.org/resources"
CITY_OF_SANCTUARY = "https://cityofsanctuary.org/"

INTRO_2011 = (
    "Coventry became a City of Sanctuary in 2011 to join a group of cities and towns in Central England that "
    "holds the vision that the UK will be a welcoming place of safety for all and proud to offer sanctuary to "
    "people fleeing violence and persecution."
)
INITIATIVE = (
    "Schools of Sanctuary is an initiative to celebrate the good practice of schools that welcome asylum seeking "
    "and refugee families into their school community and foster a culture of welcome and inclusion for all. "
    "Schools of Sanctuary offers a way to engage sanctuary seekers and families with their local communities and "
    "educate children and teachers about the human right to sanctuary."
)
EQUALITY = (
    "The aim is to create a safe environment that includes everybody in a school, regardless of people’s "
    "background, ethnicity, faith or gender, as stated in the Equality Act 2010. Schools also have a statutory duty "
    "to promote Community Cohesion, which is now deeply intertwined with each aspect of the new Ofsted framework."
)
WHAT_IS = (
    "A School of Sanctuary is a school committed to be a safe and welcoming space for all. It is a school "
    "demonstrating a whole-school approach to support and understand those who may be seeking sanctuary. A School "
    "of Sanctuary is a school helping its students, staff and wider community understand what it means to be "
    "seeking sanctuary and to extend a welcome to everyone as equal, valued members of the school community. It is "
    "a school that is proud to be a place of safety and inclusion for all."
)
AWARD = (
    "Schools that demonstrate this attitude of welcome and inclusion can apply for an award from the City of "
    "Sanctuary movement. Evidence is collected through the three processes of Learn, Embed and Share. Coventry "
    "Schools of Sanctuary (SoS) is part of the fast-growing, national stream of Schools of Sanctuary."
)
LEARN = "Learn about what it means to be seeking sanctuary"
EMBED = (
    "Take positive action to embed concepts of welcome, safety and inclusion within your school and the wider "
    "community."
)
SHARE = "Share your vision and achievements - be proud!"
LAUNCH = (
    "The 2023/24 Schools of Sanctuary Launch is not to be missed! In this webinar Megan Greenwood, from City of "
    "Sanctuary, UK outlined the minimum criteria and process, shared some exciting upcoming opportunities and the "
    "latest resources, and gave some tips about how to move forward in a time efficient and meaningful way."
)
PACK = (
    "The Schools of Sanctuary Website and Schools of Sanctuary Resource Pack have all the information you need and "
    "plenty of practical suggestions, resources and ideas to make your school a place of welcome and awareness. We "
    "have also started a Coventry Padlet to share resources and share ideas."
)


def p(*paragraphs):
    return RichText("".join(f"<p>{text}</p>" for text in paragraphs))


def ul(*items):
    return RichText("<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>")


def _add_child(parent, page):
    """Add `page` under `parent` unless a sibling with its slug exists; return the page in the tree."""
    existing = parent.get_children().filter(slug=page.slug).first()
    if existing is not None:
        return existing.specific, False
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page, True


def _demo_image(title, description):
    Image = get_image_model()
    image = Image.objects.filter(title=title).first()
    if image is None:
        image = Image(
            title=title,
            description=description,
            file=ImageFile(io.BytesIO(make_banner_image()), name="sanctuary-welcome.jpg"),
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


def ensure_tree_roots():
    """The rows Wagtail's migrations create (default locale, root page, root collection).

    Present after `migrate`; recreated here so the loader also works on a database emptied by
    `manage.py flush`.
    """
    locale = Locale.objects.first() or Locale.objects.create(
        language_code=get_supported_content_language_variant(django_settings.LANGUAGE_CODE)
    )
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    return Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root", locale=locale))


def ensure_home_page(stdout):
    """Replace Wagtail's placeholder 'Welcome' page with our HomePage, once."""
    root = ensure_tree_roots()
    home = HomePage.objects.first()
    if home is not None:
        return home, False
    hero = _demo_image(
        "Circles of welcome (illustration)",
        "Abstract illustration of overlapping coloured circles",
    )
    home = HomePage(
        title="Schools of Sanctuary",
        slug="home",
        seo_title="Coventry Schools of Sanctuary",
        hero_heading="Schools of Sanctuary",
        hero_intro=INTRO_2011,
        hero_image=hero,
        hero_image_alt="",
        search_description=(
            "Coventry Schools of Sanctuary: how schools welcome refugee and asylum-seeking families and work "
            "towards the award through Learn, Embed and Share, with the EMAS teacher team."
        ),
    )
    # The placeholder page Wagtail installs has the slug 'home' too: move it out of the way first.
    placeholder = root.get_children().filter(slug="home", content_type__model="page").first()
    if placeholder is not None and not placeholder.get_children().exists():
        placeholder.slug = "wagtail-placeholder"
        placeholder.save()
    root.add_child(instance=home)
    home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="Coventry Schools of Sanctuary",
        )
    else:
        site.root_page = home
        site.site_name = "Coventry Schools of Sanctuary"
        site.save()
    if placeholder is not None and not placeholder.get_children().exists():
        placeholder.delete()
    stdout.write("Created the home page.")
    return home, True


def load(stdout):
    """Create the base pages and settings from the seed page; return the home page."""
    with transaction.atomic():
        home, created_home = ensure_home_page(stdout)

        about, _ = _add_child(
            home,
            ContentPage(
                title="What is a School of Sanctuary?",
                slug="about",
                show_in_menus=True,
                intro="A school committed to be a safe and welcoming space for all.",
                body=[
                    ("paragraph", p(INITIATIVE, EQUALITY)),
                    ("heading", {"text": "A safe and welcoming space for all", "level": "h2"}),
                    ("paragraph", p(WHAT_IS)),
                    ("heading", {"text": "The award", "level": "h2"}),
                    ("paragraph", p(AWARD)),
                    (
                        "quote",
                        {
                            "text": "The UK will be a welcoming place of safety for all and proud to offer sanctuary "
                            "to people fleeing violence and persecution.",
                            "attribution": "The vision of the City of Sanctuary movement",
                        },
                    ),
                ],
            ),
        )
        learn, _ = _add_child(
            home,
            ContentPage(
                title="Learn",
                slug="learn",
                show_in_menus=True,
                intro=LEARN + ".",
                body=[
                    ("paragraph", p(LEARN + ".")),
                    (
                        "paragraph",
                        p(
                            "Learning starts with the whole school community: pupils, staff, governors and "
                            "families finding out who people seeking sanctuary are, why they leave their homes, "
                            "and what the right to sanctuary means."
                        ),
                    ),
                    (
                        "paragraph",
                        ul(
                            "Lessons and assemblies about refugees and the journeys people make",
                            "Staff training on welcoming new arrivals and supporting pupils who have experienced "
                            "trauma",
                            "Listening to people with lived experience of seeking sanctuary",
                        ),
                    ),
                ],
            ),
        )
        embed, _ = _add_child(
            home,
            ContentPage(
                title="Embed",
                slug="embed",
                show_in_menus=True,
                intro=EMBED,
                body=[
                    ("paragraph", p(EMBED)),
                    (
                        "paragraph",
                        p(
                            "Embedding means that welcome becomes part of how the school works every day, not a "
                            "one-off event: in its policies, its induction of new families and its curriculum."
                        ),
                    ),
                    (
                        "paragraph",
                        ul(
                            "A welcome and induction process for new arrivals and their families",
                            "Signs and displays in the languages spoken in your school community",
                            "Policies that name sanctuary seekers and how the school supports them",
                        ),
                    ),
                ],
            ),
        )
        share, _ = _add_child(
            home,
            ContentPage(
                title="Share",
                slug="share",
                show_in_menus=True,
                intro=SHARE,
                body=[
                    ("paragraph", p(SHARE)),
                    (
                        "paragraph",
                        p(
                            "Sharing takes your school’s welcome beyond its gates: to parents, other schools and "
                            "the wider community of Coventry, a City of Sanctuary since 2011."
                        ),
                    ),
                    (
                        "paragraph",
                        ul(
                            "Celebrate Refugee Week with your families and neighbours",
                            "Share ideas and resources with other Coventry schools",
                            "Tell local media and your community about your journey to the award",
                        ),
                    ),
                ],
            ),
        )
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
        contact = FormPage(
            title="EMAS teacher enquiries",
            slug="contact",
            show_in_menus=True,
            intro=RichText(
                "<p>Find out more about the application process today! Contact the EMAS Teacher Team for more "
                "information and guidance. We reply to enquiries from schools within three working days.</p>"
                "<p>Please do not include personal details of pupils in your message.</p>"
            ),
            thank_you_text=RichText(
                "<p>Thank you for contacting the EMAS Teacher Team. A member of the team will reply to the email "
                "address you gave within three working days.</p>"
            ),
            search_description="Send an enquiry to the EMAS teacher team about Schools of Sanctuary in Coventry.",
        )
        contact, created_contact = _add_child(home, contact)
        if created_contact:
            fields = [
                ("Your name", "singleline", True, "", ""),
                ("Work email address", "email", True, "We use this only to reply to you.", ""),
                ("School or setting", "singleline", False, "", ""),
                (
                    "What is your enquiry about?",
                    "dropdown",
                    True,
                    "",
                    "Applying for the award\nTraining and events\nResources\nSomething else",
                ),
                ("Your message", "multiline", True, "Please do not include pupils’ names.", ""),
            ]
            for order, (label, field_type, required, help_text, choices) in enumerate(fields):
                EnquiryFormField.objects.create(
                    page=contact,
                    sort_order=order,
                    label=label,
                    field_type=field_type,
                    required=required,
                    help_text=help_text,
                    choices=choices,
                )
            contact.save_revision().publish()

        apply_page, created_apply = _add_child(
            home,
            ContentPage(
                title="How to apply for the award",
                slug="apply",
                show_in_menus=True,
                intro="Evidence is collected through the three processes of Learn, Embed and Share.",
                body=[
                    ("paragraph", p(AWARD)),
                    ("heading", {"text": "Where to start", "level": "h2"}),
                    ("paragraph", p(PACK)),
                    (
                        "call_to_action",
                        {
                            "text": "Visit the national Schools of Sanctuary website",
                            "url": NATIONAL_SITE,
                            "style": "link",
                        },
                    ),
                    (
                        "call_to_action",
                        {"text": "Open the Schools of Sanctuary Resource Pack", "url": RESOURCE_PACK, "style": "link"},
                    ),
                    ("document", {"document": checklist, "title": "Getting started checklist"}),
                    ("heading", {"text": "The launch webinar", "level": "h2"}),
                    (
                        "paragraph",
                        p(
                            LAUNCH,
                            "There will be an updated version in September 2024. We are also offering our own "
                            "introduction to Schools of Sanctuary for Coventry Schools on Tuesday 1 October 2024 "
                            "3:30-5:00.",
                        ),
                    ),
                    (
                        "accordion",
                        {
                            "heading": "Questions schools ask",
                            "items": [
                                {
                                    "question": "Who awards the Schools of Sanctuary award?",
                                    "answer": p(
                                        "The award comes from the City of Sanctuary movement. The EMAS Teacher "
                                        "Team supports Coventry schools through the process."
                                    ),
                                },
                                {
                                    "question": "What evidence do we need?",
                                    "answer": p(
                                        "Evidence is collected through the three processes of Learn, Embed and "
                                        "Share. The Resource Pack sets out the minimum criteria."
                                    ),
                                },
                                {
                                    "question": "Who can help us?",
                                    "answer": p(
                                        "Contact the EMAS Teacher Team for more information and guidance, by "
                                        "telephone on 024 7697 5491 or through our enquiry form."
                                    ),
                                },
                            ],
                        },
                    ),
                    ("call_to_action", {"text": "Contact the EMAS teacher team", "page": contact, "style": "button"}),
                ],
            ),
        )
        if created_apply:
            apply_page.move(contact, pos="left")  # menus read: About, Learn, Embed, Share, Apply, Contact
        accessibility, _ = _add_child(
            home,
            ContentPage(
                title="Accessibility statement",
                slug="accessibility",
                intro="We want as many people as possible to be able to use this website.",
                body=[
                    (
                        "paragraph",
                        p(
                            "This website is run by the EMAS Teacher Team, Coventry City Council. We aim to meet the "
                            "Web Content Accessibility Guidelines (WCAG) version 2.2 at level AA. You should be able "
                            "to zoom in to 400% without text spilling off the screen, navigate the whole site using "
                            "just a keyboard, use it without JavaScript, and listen to it with a screen reader.",
                            "Every page is checked automatically for accessibility problems before changes go live.",
                        ),
                    ),
                    ("heading", {"text": "What we know is not yet fully accessible", "level": "h2"}),
                    (
                        "paragraph",
                        p(
                            "Some documents, such as older PDF files and recordings from partner organisations, may "
                            "not be fully accessible. Videos hosted on YouTube or Vimeo follow those services’ own "
                            "accessibility."
                        ),
                    ),
                    ("heading", {"text": "Reporting problems", "level": "h2"}),
                    (
                        "paragraph",
                        p(
                            "If you find a problem or need information in a different format, contact the EMAS "
                            "Teacher Team on 024 7697 5491 or use the enquiry form. If you are not happy with how "
                            "we respond, contact the Equality Advisory and Support Service (EASS)."
                        ),
                    ),
                ],
            ),
        )
        privacy, _ = _add_child(
            home,
            ContentPage(
                title="Privacy notice",
                slug="privacy",
                intro="How the EMAS Teacher Team uses the information you give us on this website.",
                body=[
                    ("heading", {"text": "Enquiries", "level": "h2"}),
                    (
                        "paragraph",
                        p(
                            "When you send an enquiry we keep your name, work email, school and message so that we "
                            "can reply. Only the EMAS Teacher Team can see them. We delete enquiries two years "
                            "after our last reply."
                        ),
                    ),
                    ("heading", {"text": "Cookies", "level": "h2"}),
                    (
                        "paragraph",
                        p(
                            "This website sets only the cookies it needs to work (for example to protect forms "
                            "against misuse). Embedded videos from YouTube or Vimeo load only when you choose to "
                            "play them."
                        ),
                    ),
                    ("heading", {"text": "Your rights", "level": "h2"}),
                    (
                        "paragraph",
                        p(
                            "You can ask to see, correct or delete the information we hold about you by contacting "
                            "the EMAS Teacher Team. Coventry City Council is the data controller."
                        ),
                    ),
                ],
            ),
        )

        if created_home:
            home.process_cards = [
                ("process", {"title": "Learn", "text": LEARN + ".", "page": learn}),
                ("process", {"title": "Embed", "text": EMBED, "page": embed}),
                ("process", {"title": "Share", "text": SHARE, "page": share}),
            ]
            home.body = [
                ("heading", {"text": "About Schools of Sanctuary", "level": "h2"}),
                ("paragraph", p(INITIATIVE)),
                ("paragraph", p(WHAT_IS)),
                ("paragraph", p(AWARD)),
                ("call_to_action", {"text": "What is a School of Sanctuary?", "page": about, "style": "link"}),
                ("heading", {"text": "News and resources", "level": "h2"}),
                (
                    "paragraph",
                    ul(
                        LAUNCH + " There will be an updated version in September 2024. We are also offering our "
                        "own introduction to Schools of Sanctuary for Coventry Schools on Tuesday 1 October 2024 "
                        "3:30-5:00.",
                        PACK,
                    ),
                ),
                (
                    "call_to_action",
                    {"text": "Find out more about the application process today!", "page": contact, "style": "button"},
                ),
            ]
            home.save_revision().publish()

        site = Site.objects.get(is_default_site=True)
        settings = SiteSettings.for_site(site)
        defaults = {
            "postal_address": "PO Box 15\nCouncil House\nEarl Street\nCoventry",
            "telephone": "024 7697 5491",
            "enquiry_email": "emas.enquiries@example.org",
        }
        changed = False
        for field, value in defaults.items():
            if not getattr(settings, field):
                setattr(settings, field, value)
                changed = True
        if not settings.footer_links:
            settings.footer_links = [
                ("link", {"text": "Contact us", "page": contact}),
                ("link", {"text": "Accessibility statement", "page": accessibility}),
                ("link", {"text": "Privacy notice", "page": privacy}),
                ("link", {"text": "National Schools of Sanctuary website", "url": NATIONAL_SITE}),
                ("link", {"text": "City of Sanctuary UK", "url": CITY_OF_SANCTUARY}),
            ]
            changed = True
        if changed:
            settings.save()
    return home
