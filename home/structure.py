"""The site's structure: the pages and settings a new production database needs, from the seed page.

`manage.py load_site_structure` builds it on a database without a home page (the release step runs it on every
deploy; it stops at once when a site exists), and `manage.py load_demo_content` builds on it before adding the
made-up demo events, resources and posts. The base app creates the home page, the programme and process pages,
how to apply, the enquiry form, the accessibility and privacy pages and the site settings; each feature app adds
its own empty section with a `register_site_structure` Wagtail hook: a function `(home, stdout)` in its
wagtail_hooks.py, called in INSTALLED_APPS order.

Nothing here is made up: the words are the seed page's (or summarise the national award), the address and
telephone are the EMAS Teacher Team's. Idempotent: a page is created only when no page with its slug exists in
its place, and a setting only filled when empty, so what an editor changed is kept.
"""

from urllib.parse import urlsplit

from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from wagtail import hooks
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page, Site
from wagtail.rich_text import RichText

from .models import ContentPage, EnquiryFormField, FormPage, HomePage, SiteSettings

SITE_NAME = "Coventry Schools of Sanctuary"
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
# The seed's launch webinar, without its dates: the recording itself is an event in the webinar archive.
LAUNCH = (
    "The 2023/24 Schools of Sanctuary Launch is not to be missed! In this webinar Megan Greenwood, from City of "
    "Sanctuary, UK outlined the minimum criteria and process, shared some exciting upcoming opportunities and the "
    "latest resources, and gave some tips about how to move forward in a time efficient and meaningful way."
)
PACK = (
    f'The <a href="{NATIONAL_SITE}">Schools of Sanctuary Website</a> and '
    f'<a href="{RESOURCE_PACK}">Schools of Sanctuary Resource Pack</a> have all the information you need and '
    "plenty of practical suggestions, resources and ideas to make your school a place of welcome and awareness. We "
    "have also started a Coventry Padlet to share resources and share ideas."
)

# The award's eight minimum criteria in our own plain words (City of Sanctuary UK reworded them in 2024 to focus on
# the difference a school makes); the official wording is on the national website, and each page says so. Numbered
# 1 to 8 in this order (Learn 1-2, Embed 3-5, Share 6-8): the process pages list them, and the resource library
# keeps them as records (`resources.AwardCriterion`, made by resources/structure.py) with these short titles.
CRITERIA = {
    "learn": [
        "Staff, governors and pupils learn what it means to be seeking sanctuary: why people are forced to leave "
        "their homes, the journeys they make, and their right to sanctuary. Staff gain the know-how to welcome and "
        "support new arrivals well.",
        "Pupils learn about forced migration and the experiences of people seeking sanctuary in lessons across the "
        "curriculum, where you can from people with lived experience, and that learning changes how people in "
        "school think, talk and act.",
    ],
    "embed": [
        "Welcome and inclusion are part of your school’s policies and everyday practice, from how new arrivals and "
        "their families are welcomed and settled in to how staff put the policies into action.",
        "Pupils and families seeking sanctuary are supported to feel safe, to belong and to thrive: help to learn "
        "and take part in school life, care for their wellbeing, and links to people and services who can help.",
        "Pupils have a voice: they, including pupils who have sought sanctuary, help shape and lead the school’s "
        "welcome, and people with lived experience are listened to.",
    ],
    "share": [
        "You share your vision of welcome with families and the wider community, so that people beyond the school "
        "understand it and support it.",
        "You share what you have learnt and done with other schools and the Schools of Sanctuary network, and "
        "encourage them to become Schools of Sanctuary.",
        "Your school makes a public commitment to welcome, by signing the City of Sanctuary pledge and saying so on "
        "its website, and speaks up for sanctuary, for example in Refugee Week and with local sanctuary groups such "
        "as Coventry City of Sanctuary.",
    ],
}
CRITERION_TITLES = {
    "learn": ["Learning about sanctuary", "Learning in the curriculum"],
    "embed": ["A welcome in policy and practice", "Wellbeing and belonging", "Voices that shape the school"],
    "share": [
        "Sharing with families and the community",
        "Sharing with other schools",
        "A public commitment to welcome",
    ],
}
CRITERIA_COUNTS = {"learn": "two", "embed": "three", "share": "three"}
CRITERIA_SOURCE = (
    "This is our summary of the criteria. City of Sanctuary UK reworded them in 2024 to focus on the difference "
    f'your school makes; the official wording is on the <a href="{NATIONAL_SITE}">Schools of Sanctuary website</a>.'
)

ENQUIRY_FIELDS = [
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
CONTACT_DETAILS = {
    "postal_address": "PO Box 15\nCouncil House\nEarl Street\nCoventry",
    "telephone": "024 7697 5491",
}


def p(*paragraphs):
    return RichText("".join(f"<p>{text}</p>" for text in paragraphs))


def ul(*items):
    return RichText("<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>")


def add_child(parent, page):
    """Add and publish `page` under `parent` unless a sibling with its slug exists; return (page, created)."""
    existing = parent.get_children().filter(slug=page.slug).first()
    if existing is not None:
        return existing.specific, False
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page, True


def site_address(base_url):
    """(hostname, port) of the default Site for the public address `base_url`: https without a port is 443.

    Wagtail builds every absolute URL (sitemap, feeds, canonical and Open Graph links) from the Site record, so it
    must say what BASE_URL says; a sub-path cannot be expressed there and is refused.
    """
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ImproperlyConfigured(f"BASE_URL must be http(s)://host[:port], not {base_url!r}.")
    if parts.path not in ("", "/"):
        raise ImproperlyConfigured(f"BASE_URL must not have a path ({parts.path!r}): the site is served at /.")
    return parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)


def configure_default_site(base_url):
    """Point the default Site at `base_url` (and name it); return (site, changed). Safe to run on every deploy."""
    hostname, port = site_address(base_url)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        root_page = HomePage.objects.filter(locale=Locale.get_default()).first() or (
            Page.get_first_root_node().get_children().first()
        )
        if root_page is None:
            raise ImproperlyConfigured("There is no page to serve yet: run `manage.py load_site_structure` first.")
        return Site.objects.create(
            hostname=hostname, port=port, root_page=root_page, is_default_site=True, site_name=SITE_NAME
        ), True
    changed = (site.hostname, site.port) != (hostname, port) or not site.site_name
    if changed:
        site.hostname, site.port = hostname, port
        site.site_name = site.site_name or SITE_NAME
        site.save()
    return site, changed


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


def ensure_locales():
    """The languages the site starts with (SITE_LOCALES): English, Arabic, Persian, Pashto, Ukrainian. Returns the
    codes added. Safe on every deploy; an editor adds any other language of LANGUAGES in Settings → Locales."""
    existing = set(Locale.objects.values_list("language_code", flat=True))
    added = [code for code in django_settings.SITE_LOCALES if code not in existing]
    Locale.objects.bulk_create([Locale(language_code=code) for code in added])
    return added


def ensure_home_page(stdout):
    """Replace Wagtail's placeholder 'Welcome' page with our HomePage, once; return (home, created)."""
    root = ensure_tree_roots()
    home = HomePage.objects.filter(locale=Locale.get_default()).first()
    if home is not None:
        return home, False
    home = HomePage(
        title="Schools of Sanctuary",
        slug="home",
        seo_title=SITE_NAME,
        hero_heading="Schools of Sanctuary",
        hero_intro=INTRO_2011,
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
        configure_default_site(django_settings.BASE_URL)
    else:
        site.root_page = home
        site.site_name = SITE_NAME
        site.save()
    if placeholder is not None and not placeholder.get_children().exists():
        placeholder.delete()
    stdout.write("Created the home page.")
    return home, True


def process_page(slug, title, lead, explanation, ideas):
    """A Learn, Embed or Share page: what the process means, ideas, and the award's criteria under it.

    The lead is the page's intro (shown once, under the title); the process's resources, events and board
    posts are added below the body by the feature apps (`process_page_slots`).
    """
    count = CRITERIA_COUNTS[slug]
    return ContentPage(
        title=title,
        slug=slug,
        show_in_menus=True,
        process=slug,
        intro=lead,
        body=[
            ("paragraph", p(explanation)),
            ("paragraph", ul(*ideas)),
            ("heading", {"text": "What the award asks", "level": "h2"}),
            (
                "paragraph",
                p(f"The award has eight minimum criteria; {count} of them are under {title}:"),
            ),
            ("paragraph", ul(*CRITERIA[slug])),
            ("paragraph", p(CRITERIA_SOURCE)),
        ],
    )


def load(stdout):
    """Create the base app's pages and settings; return the home page."""
    with transaction.atomic():
        home, created_home = ensure_home_page(stdout)
        ensure_locales()

        about, _ = add_child(
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
        learn, _ = add_child(
            home,
            process_page(
                "learn",
                "Learn",
                LEARN + ".",
                "Learning starts with the whole school community: pupils, staff, governors and families finding "
                "out who people seeking sanctuary are, why they leave their homes, and what the right to sanctuary "
                "means.",
                [
                    "Lessons and assemblies about refugees and the journeys people make",
                    "Staff training on welcoming new arrivals and supporting pupils who have experienced trauma",
                    "Listening to people with lived experience of seeking sanctuary",
                ],
            ),
        )
        embed, _ = add_child(
            home,
            process_page(
                "embed",
                "Embed",
                EMBED,
                "Embedding means that welcome becomes part of how the school works every day, not a one-off "
                "event: in its policies, its induction of new families and its curriculum.",
                [
                    "A welcome and induction process for new arrivals and their families",
                    "Signs and displays in the languages spoken in your school community",
                    "Policies that name sanctuary seekers and how the school supports them",
                ],
            ),
        )
        share, _ = add_child(
            home,
            process_page(
                "share",
                "Share",
                SHARE,
                "Sharing takes your school’s welcome beyond its gates: to parents, other schools and the wider "
                "community of Coventry, a City of Sanctuary since 2011.",
                [
                    "Celebrate Refugee Week with your families and neighbours",
                    "Share ideas and resources with other Coventry schools",
                    "Tell local media and your community about your journey to the award",
                ],
            ),
        )
        contact, created_contact = add_child(
            home,
            FormPage(
                title="EMAS teacher enquiries",
                slug="contact",
                show_in_menus=True,
                intro=RichText(
                    "<p>Find out more about the application process today! Contact the EMAS Teacher Team for more "
                    "information and guidance. We reply to enquiries from schools within three working days.</p>"
                    "<p>Please do not include personal details of pupils in your message.</p>"
                ),
                thank_you_text=RichText(
                    "<p>Thank you for contacting the EMAS Teacher Team. A member of the team will reply to the "
                    "email address you gave within three working days.</p>"
                ),
                search_description="Send an enquiry to the EMAS teacher team about Schools of Sanctuary in Coventry.",
            ),
        )
        if created_contact:
            for order, (label, field_type, required, help_text, choices) in enumerate(ENQUIRY_FIELDS):
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

        apply_page, created_apply = add_child(
            home,
            ContentPage(
                title="How to apply for the award",
                slug="apply",
                show_in_menus=True,
                show_whats_on=True,
                intro=(
                    "How a Coventry school works towards the Schools of Sanctuary award, and how the EMAS Teacher "
                    "Team can help on the way."
                ),
                body=[
                    ("paragraph", p(AWARD)),
                    ("heading", {"text": "What the award asks", "level": "h2"}),
                    (
                        "paragraph",
                        p(
                            "The award has eight minimum criteria: two under "
                            f'<a linktype="page" id="{learn.pk}">Learn</a>, three under '
                            f'<a linktype="page" id="{embed.pk}">Embed</a> and three under '
                            f'<a linktype="page" id="{share.pk}">Share</a>. '
                            "Each process page sets them out in plain words, with resources and events that help."
                        ),
                    ),
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
        accessibility, _ = add_child(
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
        privacy, _ = add_child(
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
            # What is on (the next event, the latest webinar recording) comes from the events themselves, in the
            # events app's slot below the body, never as dated text here.
            home.body = [
                ("heading", {"text": "About Schools of Sanctuary", "level": "h2"}),
                ("paragraph", p(INITIATIVE)),
                ("paragraph", p(WHAT_IS)),
                ("paragraph", p(AWARD)),
                ("call_to_action", {"text": "What is a School of Sanctuary?", "page": about, "style": "link"}),
                ("heading", {"text": "Getting started", "level": "h2"}),
                ("paragraph", p(PACK)),
                (
                    "call_to_action",
                    {"text": "Find out more about the application process today!", "page": contact, "style": "button"},
                ),
            ]
            home.save_revision().publish()

        site = Site.objects.get(is_default_site=True)
        settings = SiteSettings.for_site(site)
        changed = False
        for field, value in CONTACT_DETAILS.items():
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


def build_site_structure(stdout):
    """The base app's structure, then each feature app's (its empty section); return the home page."""
    with transaction.atomic():
        home = load(stdout)
        for load_section in hooks.get_hooks("register_site_structure"):
            load_section(home, stdout)
    return home
