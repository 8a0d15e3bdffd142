"""Every page type of the base app: where it may be created, that editors can create and edit it in the
admin, and that it renders for the public."""

import io

from django.contrib.auth import get_user_model
from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from home.models import ContentPage, FormPage, HomePage, SiteSettings


class PageTypeTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        root = Page.get_first_root_node()
        cls.home = HomePage(
            title="Schools of Sanctuary",
            slug="sanctuary-home",
            hero_heading="Schools of Sanctuary",
            hero_intro="Coventry became a City of Sanctuary in 2011.",
        )
        root.add_child(instance=cls.home)
        Site.objects.update(root_page=cls.home)
        cls.content = ContentPage(
            title="Learn", slug="learn", intro="Learn about what it means to be seeking sanctuary"
        )
        cls.home.add_child(instance=cls.content)
        cls.form_page = FormPage(title="EMAS teacher enquiries", slug="contact")
        cls.home.add_child(instance=cls.form_page)
        cls.form_page.form_fields.create(label="Your name", field_type="singleline", required=True)
        cls.editor = get_user_model().objects.create_superuser("editor", "editor@example.org", "a-long-password-1")

    def setUp(self):
        self.client.force_login(self.editor)

    def test_where_pages_can_be_created(self):
        self.assertCanCreateAt(Page, HomePage)
        self.assertCanCreateAt(HomePage, ContentPage)
        self.assertCanCreateAt(ContentPage, ContentPage)
        self.assertCanCreateAt(HomePage, FormPage)
        self.assertCanNotCreateAt(Page, ContentPage)
        self.assertCanNotCreateAt(FormPage, ContentPage)
        self.assertAllowedSubpageTypes(FormPage, [])
        self.assertAllowedParentPageTypes(ContentPage, [HomePage, ContentPage])

    def test_only_one_home_page(self):
        self.assertFalse(HomePage.can_create_at(Page.get_first_root_node()))

    def test_editor_can_create_a_content_page_with_every_block(self):
        from wagtail.documents import get_document_model

        document = get_document_model().objects.create(title="Checklist", file="documents/checklist.pdf")
        data = nested_form_data(
            {
                "title": "Embed",
                "slug": "embed",
                "intro": "Take positive action to embed concepts of welcome.",
                "body": streamfield(
                    [
                        ("heading", {"text": "Welcome", "level": "h2"}),
                        ("paragraph", rich_text("<p>Schools of Sanctuary</p>")),
                        ("quote", {"text": "Everyone is welcome here.", "attribution": "Year 6"}),
                        (
                            "call_to_action",
                            {"text": "Contact us", "page": self.form_page.pk, "url": "", "style": "button"},
                        ),
                        (
                            "accordion",
                            {
                                "heading": "FAQ",
                                "items": streamfield(
                                    [("item", {"question": "Who?", "answer": rich_text("<p>All</p>")})]
                                ),
                            },
                        ),
                        ("document", {"document": document.pk, "title": ""}),
                        (
                            "video",
                            {"url": "https://youtu.be/dQw4w9WgXcQ", "title": "Launch webinar", "transcript_url": ""},
                        ),
                    ]
                ),
            }
        )
        self.assertCanCreate(self.home, ContentPage, data)
        page = ContentPage.objects.get(slug="embed")
        self.assertEqual([block.block_type for block in page.body][:3], ["heading", "paragraph", "quote"])
        self.assertEqual(len(page.body), 7)

    def test_editor_can_create_a_form_page(self):
        data = nested_form_data(
            {
                "title": "Book a visit",
                "slug": "book-a-visit",
                "intro": rich_text("<p>Ask us to visit your school.</p>"),
                "thank_you_text": rich_text("<p>Thank you.</p>"),
                "email_subject": "Visit request",
                "form_fields": inline_formset(
                    [
                        {
                            "label": "Your name",
                            "field_type": "singleline",
                            "required": "on",
                            "choices": "",
                            "default_value": "",
                            "help_text": "",
                        },
                    ]
                ),
            }
        )
        self.assertCanCreate(self.home, FormPage, data)
        self.assertTrue(FormPage.objects.filter(slug="book-a-visit", live=True).exists())

    def test_pages_render_for_the_public(self):
        self.client.logout()
        for page in (self.home, self.content, self.form_page):
            with self.subTest(page=page.title):
                self.assertPageIsRenderable(page)
                self.assertPageIsRoutable(page)

    def test_pages_are_editable_and_previewable(self):
        # StreamFields are drawn by JavaScript in the editor, so the POST data is spelled out here.
        edits = {
            self.home: {
                "title": "Schools of Sanctuary",
                "slug": "sanctuary-home",
                "hero_heading": "Schools of Sanctuary",
                "hero_intro": "Changed intro",
                "hero_image_alt": "",
                "process_cards": streamfield(
                    [("process", {"title": "Learn", "text": "Learn about sanctuary", "page": self.content.pk})]
                ),
                "body": streamfield([]),
            },
            self.content: {"title": "Learn", "slug": "learn", "intro": "Changed", "body": streamfield([])},
            self.form_page: {
                "title": "EMAS teacher enquiries",
                "slug": "contact",
                "intro": rich_text(""),
                "thank_you_text": rich_text(""),
                "email_subject": "Enquiry",
                "form_fields": inline_formset([]),
            },
        }
        for page, data in edits.items():
            with self.subTest(page=page.title):
                self.assertPageIsEditable(page, post_data=nested_form_data(data))
                self.assertPageIsPreviewable(page, post_data=nested_form_data(data))
        # The edit was saved as a draft revision holding what the editor typed.
        draft = self.home.revisions.order_by("-created_at", "-pk").first().as_object()
        self.assertEqual(draft.hero_intro, "Changed intro")
        self.assertEqual(draft.process_cards[0].value["page"].pk, self.content.pk)
        # The form page also previews its thank-you ("landing") mode.
        self.assertPageIsPreviewable(self.form_page, mode="landing", post_data=nested_form_data(edits[self.form_page]))

    def test_content_page_shows_title_intro_and_breadcrumbs(self):
        self.client.logout()
        response = self.client.get("/learn/")
        self.assertContains(response, "<h1>Learn</h1>", html=True)
        self.assertContains(response, "Learn about what it means to be seeking sanctuary")
        self.assertContains(response, 'aria-label="Breadcrumb"')
        self.assertContains(response, "<title>Learn | Coventry Schools of Sanctuary</title>", html=True)


class HomePageCreationTests(WagtailPageTestCase):
    """A new site starts with no HomePage: an editor can create one at the top of the tree."""

    def test_editor_can_create_the_home_page(self):
        root = Page.get_first_root_node()
        self.client.force_login(
            get_user_model().objects.create_superuser("owner", "o@example.org", "a-long-password-2")
        )
        data = nested_form_data(
            {
                "title": "Schools of Sanctuary",
                "slug": "new-home",
                "hero_heading": "Schools of Sanctuary",
                "hero_intro": "Coventry became a City of Sanctuary in 2011.",
                "hero_image_alt": "",
                "process_cards": streamfield([]),
                "body": streamfield([]),
            }
        )
        self.assertCanCreate(root, HomePage, data)
        self.assertEqual(HomePage.in_default_language().hero_heading, "Schools of Sanctuary")


class SiteSettingsAdminTests(WagtailPageTestCase):
    def test_editor_changes_contact_details_in_the_admin_and_the_footer_follows(self):
        from home import structure

        structure.load(io.StringIO())
        self.client.force_login(get_user_model().objects.create_superuser("ed", "ed@example.org", "a-long-password-3"))
        site = Site.objects.get(is_default_site=True)
        url = f"/admin/settings/home/sitesettings/{site.pk}/"
        self.assertEqual(self.client.get(url).status_code, 200)
        data = nested_form_data(
            {
                "organisation_name": "Coventry Schools of Sanctuary",
                "team_name": "EMAS Teacher Team",
                "postal_address": "PO Box 15\nCouncil House\nEarl Street",
                "telephone": "024 7697 5491",
                "enquiry_email": "team@example.org",
                "footer_links": streamfield(
                    [("link", {"text": "Refugee Week", "page": "", "url": "https://refugeeweek.org.uk/"})]
                ),
            }
        )
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302)
        self.client.logout()
        html = self.client.get("/").content.decode()
        self.assertIn('href="https://refugeeweek.org.uk/" dir="auto">Refugee Week</a>', html)

    def test_a_bad_telephone_number_is_refused_with_a_message(self):
        from home import structure

        structure.load(io.StringIO())
        self.client.force_login(get_user_model().objects.create_superuser("ed", "ed@example.org", "a-long-password-3"))
        site = Site.objects.get(is_default_site=True)
        data = nested_form_data(
            {
                "organisation_name": "Coventry Schools of Sanctuary",
                "team_name": "EMAS Teacher Team",
                "postal_address": "",
                "telephone": "call us!",
                "enquiry_email": "",
                "footer_links": streamfield([]),
            }
        )
        response = self.client.post(f"/admin/settings/home/sitesettings/{site.pk}/", data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Use digits, spaces, + ( ) and - only.")
        self.assertEqual(SiteSettings.objects.get().telephone, "024 7697 5491")
