"""Demo content for the resource library: a realistic collection in the library `structure.py` makes.

Loaded by `manage.py load_demo_content` after the base and events. Idempotent: vocabularies, images,
documents and pages are created only when missing (matched by slug, code or title), so editors' changes
survive a second run. External resources are described in our own words and link to their public pages.
"""

import datetime
import io

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.rich_text import RichText

from home.demo_files import illustration_description, make_banner_image, make_pdf
from home.structure import CITY_OF_SANCTUARY, NATIONAL_SITE, RESOURCE_PACK

from . import structure
from .models import Audience, Language, Process, ResourceDocument, ResourcePage, ResourceType

LAUNCH_EVENT_SLUG = "schools-of-sanctuary-launch-2023-24"


def _p(*paragraphs):
    return RichText("".join(f"<p>{text}</p>" for text in paragraphs))


# Each resource: slug, title, summary, body paragraphs, type, processes, audiences, languages, tags,
# external URL, document (title, filename, lines) or None, image palette or None, publication date, featured.
RESOURCES = [
    {
        "slug": "schools-of-sanctuary-website",
        "title": "Schools of Sanctuary: the national website",
        "summary": "The home of the Schools of Sanctuary network: what the award asks of a school, how to apply, "
        "and stories from schools across the UK.",
        "body": [
            "The national website of the Schools of Sanctuary stream of City of Sanctuary UK sets out the minimum "
            "criteria for the award and the three processes of Learn, Embed and Share.",
            "Start here when your school decides to work towards the award; the EMAS Teacher Team can talk you "
            "through what Coventry schools have done.",
        ],
        "type": "website",
        "processes": ["learn", "embed", "share"],
        "audiences": ["whole-school", "staff-governors"],
        "languages": ["en"],
        "tags": ["award", "getting started"],
        "url": NATIONAL_SITE,
        "image": "city-pin",
        "date": datetime.date(2024, 9, 2),
        "featured": True,
    },
    {
        "slug": "schools-of-sanctuary-resource-pack",
        "title": "Schools of Sanctuary Resource Pack",
        "summary": "All the information a school needs, with practical suggestions, resources and ideas to make "
        "the school a place of welcome and awareness.",
        "body": [
            "The Resource Pack is the national guide to becoming a School of Sanctuary. It explains each process "
            "with ideas for lessons, assemblies, policies and community events, and lists further resources.",
            "Our one-page summary below is a quick way into the pack for a first staff meeting.",
        ],
        "type": "guide",
        "processes": ["learn", "embed", "share"],
        "audiences": ["whole-school", "staff-governors", "primary", "secondary"],
        "languages": ["en"],
        "tags": ["award", "getting started", "welcome"],
        "url": RESOURCE_PACK,
        "document": (
            "Resource Pack at a glance (Coventry summary)",
            "resource-pack-at-a-glance.pdf",
            [
                "The Schools of Sanctuary Resource Pack at a glance",
                "",
                "Learn: what it means to be seeking sanctuary.",
                "Embed: welcome, safety and inclusion in policy and practice.",
                "Share: your vision and achievements with your community.",
                "",
                "The full pack: schools.cityofsanctuary.org/resources",
            ],
        ),
        "image": "book-and-globe",
        "date": datetime.date(2024, 9, 1),
        "featured": True,
    },
    {
        "slug": "launch-webinar-2023-24-recording",
        "title": "Schools of Sanctuary launch 2023/24: webinar recording",
        "summary": "Megan Greenwood from City of Sanctuary UK outlines the minimum criteria and process, shares "
        "opportunities and the latest resources, and gives tips for moving forward efficiently.",
        "body": [
            "The 2023/24 Schools of Sanctuary Launch is not to be missed. In this webinar Megan Greenwood, from "
            "City of Sanctuary UK, outlined the minimum criteria and process, shared some exciting upcoming "
            "opportunities and the latest resources, and gave some tips about how to move forward in a time "
            "efficient and meaningful way.",
            "The recording is shared through the national Schools of Sanctuary website; our notes summarise the "
            "main points.",
        ],
        "type": "video",
        "processes": ["learn", "embed", "share"],
        "audiences": ["staff-governors", "whole-school"],
        "languages": ["en"],
        "tags": ["award", "webinar", "getting started"],
        "url": NATIONAL_SITE,
        "document": (
            "Launch webinar 2023/24: notes",
            "launch-webinar-2023-24-notes.pdf",
            [
                "Schools of Sanctuary launch 2023/24 - notes",
                "",
                "Speaker: Megan Greenwood, City of Sanctuary UK.",
                "- The minimum criteria and the process for the award",
                "- Upcoming opportunities and the latest resources",
                "- Tips for moving forward in a time efficient and meaningful way",
            ],
        ),
        "related_event": True,
        "date": datetime.date(2023, 10, 3),
    },
    {
        "slug": "city-of-sanctuary-uk",
        "title": "City of Sanctuary UK",
        "summary": "The national movement building a culture of welcome for people seeking sanctuary, in "
        "cities, towns, schools, universities and many other places.",
        "body": [
            "Coventry became a City of Sanctuary in 2011. The City of Sanctuary UK website explains the movement's "
            "vision and its streams, of which Schools of Sanctuary is one, and links to local groups.",
        ],
        "type": "website",
        "processes": ["learn", "share"],
        "audiences": ["whole-school", "parents-families", "staff-governors"],
        "languages": ["en"],
        "tags": ["community", "city of sanctuary"],
        "url": CITY_OF_SANCTUARY,
        "date": datetime.date(2024, 1, 15),
    },
    {
        "slug": "coventry-schools-of-sanctuary-padlet",
        "title": "The Coventry Schools of Sanctuary Padlet",
        "summary": "A shared board where Coventry schools post resources and ideas for each other. Our how-to "
        "sheet explains how to join and contribute.",
        "body": [
            "We have started a Coventry Padlet to share resources and ideas between schools. Ask the EMAS Teacher "
            "Team for the link to the board; please never post pupils' names or photographs.",
        ],
        "type": "website",
        "processes": ["share"],
        "audiences": ["staff-governors"],
        "languages": ["en"],
        "tags": ["community", "sharing ideas"],
        "document": (
            "How to use the Coventry Padlet",
            "coventry-padlet-how-to.pdf",
            [
                "How to use the Coventry Schools of Sanctuary Padlet",
                "",
                "1. Ask the EMAS Teacher Team for the link (024 7697 5491).",
                "2. Add a post: a resource, a photo of a display, an idea that worked.",
                "3. Never post pupils' names or photographs of pupils.",
            ],
        ),
        "image": "welcome-bubbles",
        "date": datetime.date(2024, 2, 5),
    },
    {
        "slug": "refugee-week",
        "title": "Refugee Week",
        "summary": "The UK-wide festival each June celebrating the contributions, creativity and resilience of "
        "refugees, with free resources for schools to join in.",
        "body": [
            "Refugee Week takes place every year around World Refugee Day (20 June). Its website has a theme for "
            "each year, activity ideas and materials schools can use in class and with families.",
        ],
        "type": "website",
        "processes": ["learn", "share"],
        "audiences": ["whole-school", "primary", "secondary", "parents-families"],
        "languages": ["en"],
        "tags": ["refugee week", "celebration", "community"],
        "url": "https://refugeeweek.org.uk/",
        "image": "planting-a-tree",
        "date": datetime.date(2024, 5, 20),
        "featured": True,
    },
    {
        "slug": "refugee-week-simple-acts",
        "title": "Simple Acts: small everyday actions for Refugee Week",
        "summary": "A list of simple things anyone can do (cook a dish, learn a word, watch a film) to stand "
        "with refugees; easy to turn into a class or family challenge.",
        "body": [
            "Simple Acts are short, achievable actions. Classes can pick one a day during Refugee Week, and "
            "families can take part at home.",
        ],
        "type": "activity",
        "processes": ["share", "embed"],
        "audiences": ["primary", "secondary", "parents-families"],
        "languages": ["en"],
        "tags": ["refugee week", "families"],
        "url": "https://refugeeweek.org.uk/simple-acts/",
        "date": datetime.date(2024, 5, 27),
    },
    {
        "slug": "unhcr-teaching-about-refugees",
        "title": "UNHCR: Teaching about refugees",
        "summary": "Lesson plans and guidance from the UN Refugee Agency for teaching about refugees, asylum and "
        "migration, arranged by age group.",
        "body": [
            "The UN Refugee Agency's teaching materials introduce who refugees are and why people flee, with "
            "lesson plans for different ages and guidance for teachers on including refugee pupils.",
        ],
        "type": "lesson-plan",
        "processes": ["learn"],
        "audiences": ["primary", "secondary", "staff-governors"],
        "languages": ["en"],
        "tags": ["human rights", "lessons"],
        "url": "https://www.unhcr.org/teaching-about-refugees",
        "image": "round-the-table",
        "date": datetime.date(2023, 6, 12),
    },
    {
        "slug": "british-red-cross-teaching-resources",
        "title": "British Red Cross teaching resources",
        "summary": "Free classroom activities on refugees, kindness and crisis, designed to build empathy and "
        "challenge myths.",
        "body": [
            "The British Red Cross publishes free, curriculum-linked resources for primary and secondary "
            "schools, including activities about people who have had to leave their homes.",
        ],
        "type": "lesson-plan",
        "processes": ["learn"],
        "audiences": ["primary", "secondary"],
        "languages": ["en"],
        "tags": ["empathy", "lessons"],
        "url": "https://www.redcross.org.uk/get-involved/teaching-resources",
        "date": datetime.date(2023, 9, 18),
    },
    {
        "slug": "amnesty-human-rights-education",
        "title": "Amnesty International UK: human rights education",
        "summary": "Teaching resources on human rights, including the right to seek asylum, for secondary "
        "classrooms and student groups.",
        "body": [
            "Amnesty International UK's education pages offer lesson plans and activities about human rights "
            "and refugees, suitable for citizenship, RE and PSHE lessons and for student action groups.",
        ],
        "type": "lesson-plan",
        "processes": ["learn", "share"],
        "audiences": ["secondary"],
        "languages": ["en"],
        "tags": ["human rights", "citizenship"],
        "url": "https://www.amnesty.org.uk/education",
        "date": datetime.date(2023, 11, 6),
    },
    {
        "slug": "oxfam-global-citizenship",
        "title": "Oxfam Education: global citizenship guides",
        "summary": "Guidance and activities to help pupils understand the wider world, including why people "
        "migrate, and to act on what they learn.",
        "body": [
            "Oxfam's education resources for teachers explain a global citizenship approach and include "
            "classroom activities that connect local and global issues.",
        ],
        "type": "guide",
        "processes": ["learn", "embed"],
        "audiences": ["primary", "secondary", "staff-governors"],
        "languages": ["en"],
        "tags": ["global citizenship", "lessons"],
        "url": "https://www.oxfam.org.uk/education/",
        "date": datetime.date(2022, 10, 10),
    },
    {
        "slug": "bell-foundation-eal-guidance",
        "title": "The Bell Foundation: guidance for teaching pupils with EAL",
        "summary": "Practical guidance, assessment tools and classroom strategies for pupils who use English as "
        "an additional language, many of them new arrivals.",
        "body": [
            "The Bell Foundation supports schools to improve outcomes for learners with English as an additional "
            "language, with free guidance for teachers and school leaders.",
        ],
        "type": "guide",
        "processes": ["embed"],
        "audiences": ["staff-governors", "primary", "secondary"],
        "languages": ["en"],
        "tags": ["EAL", "new arrivals"],
        "url": "https://www.bell-foundation.org.uk/",
        "date": datetime.date(2024, 3, 4),
    },
    {
        "slug": "naldic",
        "title": "NALDIC: the EAL subject association",
        "summary": "The national subject association for English as an additional language: research, "
        "guidance and a community of EAL practitioners.",
        "body": [
            "NALDIC brings together teachers and researchers working with bilingual learners and shares "
            "guidance on good practice for pupils new to English.",
        ],
        "type": "website",
        "processes": ["embed", "learn"],
        "audiences": ["staff-governors"],
        "languages": ["en"],
        "tags": ["EAL"],
        "url": "https://naldic.org.uk/",
        "date": datetime.date(2022, 11, 21),
    },
    {
        "slug": "anna-freud-refugee-wellbeing",
        "title": "Anna Freud: supporting the wellbeing of refugee children",
        "summary": "Advice for school staff on the mental health and wellbeing of children who have experienced "
        "displacement, loss or trauma.",
        "body": [
            "The Anna Freud national centre for children and families publishes resources for schools on "
            "mental health, including how to support pupils affected by war and forced migration.",
        ],
        "type": "guide",
        "processes": ["embed", "learn"],
        "audiences": ["staff-governors", "whole-school"],
        "languages": ["en"],
        "tags": ["wellbeing", "trauma-informed"],
        "url": "https://www.annafreud.org/",
        "image": "planting-a-tree",
        "date": datetime.date(2024, 4, 15),
    },
    {
        "slug": "refugee-council-facts",
        "title": "Refugee Council: facts about refugees and asylum",
        "summary": "Clear facts and figures about people seeking asylum in the UK, useful for lessons and for "
        "answering questions from pupils and parents.",
        "body": [
            "The Refugee Council works directly with refugees and people seeking asylum and publishes up-to-date "
            "information that helps teachers challenge myths with facts.",
        ],
        "type": "website",
        "processes": ["learn"],
        "audiences": ["secondary", "staff-governors"],
        "languages": ["en"],
        "tags": ["myths and facts"],
        "url": "https://www.refugeecouncil.org.uk/",
        "date": datetime.date(2023, 3, 13),
    },
    {
        "slug": "booktrust-books-about-refugees",
        "title": "BookTrust: stories about refugees and belonging",
        "summary": "Book recommendations for children and young people about leaving home, journeys and "
        "finding welcome, for class libraries and reading for pleasure.",
        "body": [
            "BookTrust, the UK's largest children's reading charity, recommends picture books and novels about "
            "refugees and belonging. Stories help children understand experiences different from their own.",
        ],
        "type": "book-list",
        "processes": ["learn"],
        "audiences": ["early-years", "primary", "parents-families"],
        "languages": ["en"],
        "tags": ["books", "reading"],
        "url": "https://www.booktrust.org.uk/",
        "image": "book-and-globe",
        "date": datetime.date(2023, 5, 8),
    },
    {
        "slug": "show-racism-the-red-card",
        "title": "Show Racism the Red Card: education resources",
        "summary": "Anti-racism education resources and workshops, including materials on refugees and asylum "
        "seekers, using the appeal of football.",
        "body": [
            "Show Racism the Red Card is an anti-racism educational charity. Its resources help schools tackle "
            "prejudice and misinformation about people seeking sanctuary.",
        ],
        "type": "activity",
        "processes": ["learn", "embed"],
        "audiences": ["secondary", "primary"],
        "languages": ["en"],
        "tags": ["anti-racism", "myths and facts"],
        "url": "https://www.theredcard.org/",
        "date": datetime.date(2022, 9, 26),
    },
    {
        "slug": "unicef-rights-respecting-schools",
        "title": "UNICEF UK Rights Respecting Schools",
        "summary": "An award that puts children's rights at the heart of school life; it fits well with "
        "becoming a School of Sanctuary.",
        "body": [
            "The Rights Respecting Schools Award helps schools embed the UN Convention on the Rights of the Child "
            "in their ethos and curriculum. Many Schools of Sanctuary use the two awards together.",
        ],
        "type": "website",
        "processes": ["embed"],
        "audiences": ["whole-school", "staff-governors"],
        "languages": ["en"],
        "tags": ["human rights", "award"],
        "url": "https://www.unicef.org.uk/rights-respecting-schools/",
        "date": datetime.date(2023, 1, 30),
    },
    {
        "slug": "coventry-refugee-and-migrant-centre",
        "title": "Coventry Refugee and Migrant Centre",
        "summary": "The city's centre offering advice and support to refugees and migrants: where to signpost "
        "families who need help beyond school.",
        "body": [
            "Coventry Refugee and Migrant Centre supports people seeking sanctuary in the city with advice, "
            "casework and community activities. Schools can signpost families and build links with the centre.",
        ],
        "type": "website",
        "processes": ["share", "embed"],
        "audiences": ["parents-families", "staff-governors"],
        "languages": ["en"],
        "tags": ["community", "families", "Coventry"],
        "url": "https://www.covrefugee.org/",
        "date": datetime.date(2024, 6, 3),
    },
    {
        "slug": "new-arrivals-induction-checklist",
        "title": "New arrivals induction checklist",
        "summary": "A checklist for welcoming a pupil who arrives mid-year: before the first day, the first "
        "week and the first half-term.",
        "body": [
            "Written by the EMAS Teacher Team from what Coventry schools found works. Adapt it for your school "
            "and share it with the whole staff team.",
        ],
        "type": "guide",
        "processes": ["embed"],
        "audiences": ["staff-governors", "primary", "secondary"],
        "languages": ["en"],
        "tags": ["induction", "new arrivals", "welcome"],
        "document": (
            "New arrivals induction checklist",
            "new-arrivals-induction-checklist.pdf",
            [
                "New arrivals induction checklist (EMAS Teacher Team)",
                "",
                "Before day one: meet the family with an interpreter; learn how to say the pupil's name.",
                "Day one: a buddy, a visual timetable, a tour; a welcome in the pupil's language.",
                "First week: check in daily; note languages spoken and any medical needs.",
                "First half-term: review progress and wellbeing with the family.",
            ],
        ),
        "image": "welcome-door",
        "date": datetime.date(2024, 7, 8),
        "featured": True,
    },
    {
        "slug": "sanctuary-policy-statement-template",
        "title": "School of Sanctuary policy statement: a template",
        "summary": "A short template statement for governors to adopt, naming the school's commitment to welcome "
        "people seeking sanctuary and how it supports them.",
        "body": [
            "Embedding welcome means writing it into policy. This template can be added to an inclusion or "
            "equality policy and adapted by governors.",
        ],
        "type": "policy-template",
        "processes": ["embed"],
        "audiences": ["staff-governors"],
        "languages": ["en"],
        "tags": ["policy", "governors"],
        "document": (
            "School of Sanctuary policy statement (template)",
            "sanctuary-policy-statement-template.pdf",
            [
                "School of Sanctuary policy statement - template",
                "",
                "[School name] is committed to being a safe and welcoming place for all,",
                "including pupils and families who are seeking sanctuary.",
                "We will: welcome new arrivals through a planned induction; value every language;",
                "teach about the right to sanctuary; and share our welcome with our community.",
            ],
        ),
        "date": datetime.date(2023, 12, 4),
    },
    {
        "slug": "welcome-signs-in-community-languages",
        "title": "Welcome signs in Coventry's community languages",
        "summary": "Printable welcome signs in Arabic, Ukrainian, Dari, Pashto, Tigrinya, Farsi and Kurdish "
        "for classrooms and the school entrance.",
        "body": [
            "Seeing their own language on the door tells a family they are expected and welcome. Ask pupils and "
            "parents to check the signs and add more languages.",
        ],
        "type": "activity",
        "processes": ["embed"],
        "audiences": ["early-years", "primary", "whole-school"],
        "languages": ["ar", "uk", "prs", "ps", "ti", "fa", "ku", "en"],
        "tags": ["welcome", "languages", "displays"],
        "document": (
            "Welcome signs: how to print and display",
            "welcome-signs.pdf",
            [
                "Welcome signs in community languages",
                "",
                "Print on A4 card. Place at the entrance, the office and classroom doors.",
                "Ask families to check each translation and suggest new languages.",
            ],
        ),
        "image": "welcome-bubbles",
        "date": datetime.date(2024, 1, 22),
    },
    {
        "slug": "refugee-week-assembly-plan",
        "title": "Refugee Week assembly plan",
        "summary": "A 20-minute assembly for Refugee Week: a story about leaving home, a moment of reflection "
        "and a simple act everyone can do.",
        "body": [
            "This assembly works for Key Stage 2 and can be adapted for secondary tutor time. It ends with an "
            "invitation to families to join a Refugee Week event.",
        ],
        "type": "assembly",
        "processes": ["learn", "share"],
        "audiences": ["primary", "secondary", "whole-school"],
        "languages": ["en"],
        "tags": ["refugee week", "assemblies"],
        "document": (
            "Refugee Week assembly plan",
            "refugee-week-assembly-plan.pdf",
            [
                "Refugee Week assembly (20 minutes)",
                "",
                "1. Welcome and the theme of this year's Refugee Week (3 min)",
                "2. Story: a child who leaves home and finds welcome (7 min)",
                "3. Reflection: what makes a place feel like home? (5 min)",
                "4. A simple act for this week, and an invitation to families (5 min)",
            ],
        ),
        "image": "round-the-table",
        "date": datetime.date(2024, 6, 10),
    },
    {
        "slug": "welcome-leaflet-for-families",
        "title": "Welcome leaflet for new families",
        "summary": "What parents need to know in their first weeks: the school day, uniform, meals and who to "
        "ask, in English with Arabic and Ukrainian versions.",
        "body": [
            "Give the leaflet at the first meeting with a family, with an interpreter where possible. Versions in "
            "other languages can be added by the school.",
        ],
        "type": "guide",
        "processes": ["embed"],
        "audiences": ["parents-families", "primary", "secondary"],
        "languages": ["en", "ar", "uk"],
        "tags": ["families", "induction", "languages"],
        "document": (
            "Welcome leaflet for new families",
            "welcome-leaflet-for-families.pdf",
            [
                "Welcome to our school",
                "",
                "The school day, uniform, school meals and who to ask.",
                "You can ask for an interpreter at any meeting.",
            ],
        ),
        "date": datetime.date(2024, 8, 26),
    },
    {
        "slug": "governors-briefing-schools-of-sanctuary",
        "title": "Governors' briefing: why become a School of Sanctuary?",
        "summary": "A two-page briefing for governing boards: what the award involves, how it supports the "
        "Equality Act duties and Ofsted's personal development judgement.",
        "body": [
            "Use this briefing to put Schools of Sanctuary on the agenda of a governors' meeting and agree a lead "
            "governor.",
        ],
        "type": "guide",
        "processes": ["learn"],
        "audiences": ["staff-governors"],
        "languages": ["en"],
        "tags": ["governors", "award"],
        "document": (
            "Governors' briefing: Schools of Sanctuary",
            "governors-briefing.pdf",
            [
                "Governors' briefing: why become a School of Sanctuary?",
                "",
                "- A whole-school approach to welcome and inclusion",
                "- Supports the Equality Act 2010 and community cohesion",
                "- Evidence through Learn, Embed and Share",
            ],
        ),
        "date": datetime.date(2023, 9, 4),
    },
    {
        "slug": "sharing-your-journey",
        "title": "Sharing your journey: newsletters, displays and local media",
        "summary": "Ideas for sharing your school's welcome with families, other schools and the wider Coventry "
        "community, safely and proudly.",
        "body": [
            "Sharing is the third process of the award. These ideas range from a newsletter column to inviting "
            "the local paper to a Refugee Week event, always with consent for any photographs.",
        ],
        "type": "guide",
        "processes": ["share"],
        "audiences": ["whole-school", "staff-governors", "parents-families"],
        "languages": ["en"],
        "tags": ["sharing ideas", "community"],
        "date": datetime.date(2024, 3, 18),
        "url": NATIONAL_SITE,
    },
    {
        "slug": "sanctuary-ambassadors",
        "title": "Student sanctuary ambassadors: activity ideas",
        "summary": "How a group of pupils can lead the school's welcome: buddying new arrivals, running an "
        "assembly, and speaking at a cluster event.",
        "body": [
            "Pupil voice is at the heart of a School of Sanctuary. Ambassadors can be any age; these ideas suit "
            "upper primary and secondary pupils.",
        ],
        "type": "activity",
        "processes": ["share", "embed"],
        "audiences": ["secondary", "primary"],
        "languages": ["en"],
        "tags": ["pupil voice", "welcome"],
        "document": (
            "Sanctuary ambassadors: activity ideas",
            "sanctuary-ambassadors.pdf",
            [
                "Student sanctuary ambassadors",
                "",
                "- Buddy a new arrival for their first weeks",
                "- Plan and lead a Refugee Week assembly",
                "- Share your school's story at a cluster event",
            ],
        ),
        "date": datetime.date(2024, 2, 26),
    },
    {
        "slug": "all-about-me-early-years",
        "title": "All about me: a welcome activity for early years",
        "summary": "A picture-based activity that helps a young child new to English share their family, "
        "languages and favourite things with key workers.",
        "body": [
            "Families complete the sheet with their child, in any language; practitioners use it to learn how to "
            "comfort and welcome the child.",
        ],
        "type": "activity",
        "processes": ["embed"],
        "audiences": ["early-years", "parents-families"],
        "languages": ["en", "ar", "uk"],
        "tags": ["welcome", "EAL", "families"],
        "document": (
            "All about me (early years)",
            "all-about-me-early-years.pdf",
            [
                "All about me",
                "",
                "My name is ... My family calls me ...",
                "At home we speak ...",
                "I like ... When I am sad, it helps if ...",
            ],
        ),
        "date": datetime.date(2023, 7, 3),
    },
]


def _image(title, name):
    """One of the site's own illustrations (`home.demo_files`), stored once and shared by the resources using it."""
    Image = get_image_model()
    image = Image.objects.filter(title=title).first()
    if image is None:
        image = Image(
            title=title,
            description=illustration_description(name),
            file=ImageFile(io.BytesIO(make_banner_image(name=name)), name=f"resources-{name}.jpg"),
        )
        image.save()
    return image


def _document(title, filename, lines):
    Document = get_document_model()
    document = Document.objects.filter(title=title).first()
    if document is None:
        document = Document(title=title)
        document.file.save(filename, ContentFile(make_pdf(title, lines)), save=False)
        document._set_document_file_metadata()  # size and hash, as an upload in the admin would record
        document.save()
    return document


def _add_resource(library, data, lookups):
    resource = ResourcePage(
        title=data["title"],
        slug=data["slug"],
        summary=data["summary"],
        body=[("paragraph", _p(*data["body"]))],
        resource_type=lookups["types"].get(data["type"]),
        external_url=data.get("url", ""),
        publication_date=data["date"],
        featured=data.get("featured", False),
    )
    if data.get("image"):
        resource.thumbnail = _image(f"Resource library illustration ({data['image']})", data["image"])
    if data.get("related_event"):
        resource.related_page = Page.objects.filter(slug=LAUNCH_EVENT_SLUG).first()
    resource.processes = [lookups["processes"][slug] for slug in data["processes"]]
    resource.audiences = [lookups["audiences"][slug] for slug in data["audiences"]]
    resource.languages = [lookups["languages"][code] for code in data["languages"] if code in lookups["languages"]]
    resource.tags.add(*data["tags"])
    if data.get("document"):
        title, filename, lines = data["document"]
        resource.documents = [ResourceDocument(document=_document(title, filename, lines))]
    library.add_child(instance=resource)
    resource.save_revision().publish()
    return resource


def load(home, stdout):
    """Create the library and its starting resources under `home`, once."""
    with transaction.atomic():
        library = structure.load(home, stdout)
        # Editors may rename or remove a type or language; a resource then simply goes without it.
        lookups = {
            "types": {row.slug: row for row in ResourceType.objects.all()},
            "processes": {row.slug: row for row in Process.objects.all()},
            "audiences": {row.slug: row for row in Audience.objects.all()},
            "languages": {row.code: row for row in Language.objects.all()},
        }
        existing = set(library.get_children().values_list("slug", flat=True))
        created = 0
        for data in RESOURCES:
            if data["slug"] in existing:
                continue
            _add_resource(library, data, lookups)
            created += 1
        if created:
            stdout.write(f"Created {created} resources in the library.")
    return library
