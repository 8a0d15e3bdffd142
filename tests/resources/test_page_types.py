"""Where resources may be created, and that editors can create, edit and preview them in the admin."""

import pytest
from django.contrib.auth import get_user_model
from django.template.defaultfilters import filesizeformat
from wagtail.documents import get_document_model
from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from home.models import ContentPage, FormPage, HomePage
from resources.models import (
    Audience,
    Language,
    Process,
    ResourceDocument,
    ResourceIndexPage,
    ResourcePage,
    ResourceType,
    ensure_vocabularies,
)


class ResourcePageTypeTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        ensure_vocabularies()
        root = Page.get_first_root_node()
        cls.home = HomePage(title="Home", slug="res-home", hero_heading="Welcome", hero_intro="Coventry.")
        root.add_child(instance=cls.home)
        Site.objects.update(root_page=cls.home)
        cls.library = ResourceIndexPage(title="Resource library", slug="resources")
        cls.home.add_child(instance=cls.library)
        cls.guide = ResourceType.objects.create(name="Guide", slug="guide")
        cls.english = Language.objects.create(name="English", code="en")
        cls.editor = get_user_model().objects.create_superuser("editor", "editor@example.org", "a-long-password-1")
        cls.document = get_document_model().objects.create(title="Checklist", file="documents/checklist.pdf")

    def setUp(self):
        self.client.force_login(self.editor)

    def test_resources_only_under_the_library(self):
        self.assertCanCreateAt(HomePage, ResourceIndexPage)
        self.assertCanCreateAt(ContentPage, ResourceIndexPage)
        self.assertCanCreateAt(ResourceIndexPage, ResourcePage)
        self.assertCanNotCreateAt(HomePage, ResourcePage)
        self.assertCanNotCreateAt(ContentPage, ResourcePage)
        self.assertCanNotCreateAt(FormPage, ResourcePage)
        self.assertCanNotCreateAt(ResourceIndexPage, ContentPage)
        self.assertAllowedSubpageTypes(ResourcePage, [])
        self.assertAllowedParentPageTypes(ResourcePage, [ResourceIndexPage])
        self.assertAllowedSubpageTypes(ResourceIndexPage, [ResourcePage])

    def test_only_one_library(self):
        self.assertFalse(ResourceIndexPage.can_create_at(self.home))

    def form_data(self, **overrides):
        data = {
            "title": "Welcome signs in community languages",
            "slug": "welcome-signs",
            "summary": "Printable welcome signs for the school entrance.",
            "processes": [Process.objects.get(slug="embed").pk],
            "audiences": [Audience.objects.get(slug="primary").pk, Audience.objects.get(slug="early-years").pk],
            "resource_type": self.guide.pk,
            "languages": [self.english.pk],
            "tags": "welcome, languages",
            "publication_date": "2024-01-22",
            "external_url": "",
            "video_url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "thumbnail_alt": "",
            "body": streamfield([("paragraph", rich_text("<p>Print them on card.</p>"))]),
            "documents": inline_formset([{"document": self.document.pk, "title": "Signs"}]),
        }
        data.update(overrides)
        # Multiple choices are repeated keys in a real form post; nested_form_data would flatten the lists.
        multiple = {key: data.pop(key) for key in ("processes", "audiences", "languages")}
        return {**nested_form_data(data), **multiple}

    def test_editor_creates_a_resource_with_every_field(self):
        self.assertCanCreate(self.library, ResourcePage, self.form_data())
        resource = ResourcePage.objects.get(slug="welcome-signs")
        assert [p.slug for p in resource.processes.all()] == ["embed"]
        assert {a.slug for a in resource.audiences.all()} == {"primary", "early-years"}
        assert sorted(resource.tags.names()) == ["languages", "welcome"]
        assert resource.documents.get().display_title == "Signs"
        assert resource.resource_type == self.guide

    def test_a_resource_must_link_somewhere(self):
        url = f"/admin/pages/add/resources/resourcepage/{self.library.pk}/"
        response = self.client.post(
            url, self.form_data(video_url="", external_url="", documents=inline_formset([]), action_publish="1")
        )
        assert response.status_code == 200
        assert "Add at least one thing the resource links to" in response.content.decode()
        assert not ResourcePage.objects.filter(slug="welcome-signs").exists()

    def post_publish(self, url, **overrides):
        """Post the add/edit form as the editor's "Publish" button does."""
        return self.client.post(url, {**self.form_data(**overrides), "action-publish": "action-publish"})

    def test_editor_publishes_a_resource_whose_only_link_is_a_document(self):
        url = f"/admin/pages/add/resources/resourcepage/{self.library.pk}/"
        response = self.post_publish(
            url,
            video_url="",
            external_url="",
            documents=inline_formset([{"document": self.document.pk, "title": ""}]),
        )
        assert response.status_code == 302, response.context["form"].errors
        resource = ResourcePage.objects.get(slug="welcome-signs")
        assert resource.live
        assert [item.document for item in resource.documents.all()] == [self.document]

    def test_editor_republishes_a_document_only_resource_unchanged(self):
        resource = ResourcePage(title="Checklist", slug="checklist", summary="A checklist.", resource_type=self.guide)
        resource.processes = [Process.objects.get(slug="learn")]
        resource.audiences = [Audience.objects.get(slug="primary")]
        resource.documents = [ResourceDocument(document=self.document)]
        self.library.add_child(instance=resource)
        resource.save_revision().publish()
        item = resource.documents.get()
        url = f"/admin/pages/{resource.pk}/edit/"
        response = self.post_publish(
            url,
            title="Checklist",
            slug="checklist",
            video_url="",
            external_url="",
            documents=inline_formset([{"id": item.pk, "document": self.document.pk, "title": ""}], initial=1),
        )
        assert response.status_code == 302, response.context["form"].errors
        resource.refresh_from_db()
        assert resource.live and not resource.has_unpublished_changes
        assert resource.get_latest_revision() == resource.live_revision
        assert [item.document for item in resource.documents.all()] == [self.document]

    def test_removing_the_only_link_is_refused_next_to_the_field_and_nothing_is_saved(self):
        resource = ResourcePage(title="Checklist", slug="checklist", summary="A checklist.", resource_type=self.guide)
        resource.processes = [Process.objects.get(slug="learn")]
        resource.audiences = [Audience.objects.get(slug="primary")]
        resource.documents = [ResourceDocument(document=self.document)]
        self.library.add_child(instance=resource)
        revision = resource.save_revision()
        revision.publish()
        item = resource.documents.get()
        response = self.post_publish(
            f"/admin/pages/{resource.pk}/edit/",
            title="Checklist changed",
            slug="checklist",
            video_url="",
            external_url="",
            documents=inline_formset(
                [{"id": item.pk, "document": self.document.pk, "title": "", "DELETE": "1"}], initial=1
            ),
        )
        assert response.status_code == 200
        form = response.context["form"]
        assert "Add at least one thing the resource links to" in str(form.errors["external_url"])
        assert "Add at least one thing the resource links to" in response.content.decode()
        resource.refresh_from_db()
        assert resource.title == "Checklist"
        assert resource.get_latest_revision() == revision
        assert resource.documents.count() == 1

    def test_process_and_audience_are_required_and_video_must_be_youtube_or_vimeo(self):
        url = f"/admin/pages/add/resources/resourcepage/{self.library.pk}/"
        response = self.client.post(url, self.form_data(processes=[], audiences=[], video_url="https://example.org/v"))
        html = response.content.decode()
        assert response.status_code == 200
        assert html.count("This field is required.") >= 2
        assert "Enter the address of a YouTube or Vimeo video" in html
        assert not ResourcePage.objects.filter(slug="welcome-signs").exists()

    def test_reserved_slugs_are_refused(self):
        url = f"/admin/pages/add/resources/resourcepage/{self.library.pk}/"
        response = self.client.post(url, self.form_data(slug="feed", action_publish="1"))
        assert response.status_code == 200
        assert "is used by the library itself" in response.content.decode()
        assert not ResourcePage.objects.filter(slug="feed").exists()

    def test_pages_render_edit_and_preview(self):
        self.assertCanCreate(self.library, ResourcePage, self.form_data())
        resource = ResourcePage.objects.get(slug="welcome-signs")
        resource.save_revision().publish()
        self.assertPageIsRenderable(self.library)
        self.assertPageIsRenderable(resource)
        self.assertPageIsEditable(resource, post_data=self.form_data(slug=resource.slug))
        self.assertPageIsEditable(self.library)
        self.assertPageIsPreviewable(resource, post_data=self.form_data(slug=resource.slug))
        self.assertPageIsPreviewable(
            self.library, post_data={"title": "Resource library", "slug": "resources", "intro": "Changed"}
        )

    def test_snippet_listings_for_types_and_languages(self):
        assert self.client.get("/admin/snippets/resources/resourcetype/").status_code == 200
        response = self.client.post(
            "/admin/snippets/resources/language/add/", {"name": "Tigrinya", "native_name": "", "code": "Tigrinya!"}
        )
        assert response.status_code == 200
        assert "Use an ISO 639 language code" in response.content.decode()
        assert not Language.objects.filter(name="Tigrinya").exists()


@pytest.mark.django_db
def test_resource_page_shows_what_a_teacher_needs(client, library, thumbnail):
    from tests.factories import add_resource

    document = get_document_model()(title="Induction checklist")
    from django.core.files.base import ContentFile

    from demo.files import make_pdf

    document.file.save("induction.pdf", ContentFile(make_pdf("Induction", ["Day one"])), save=False)
    document.save()
    resource = add_resource(
        library,
        "Induction checklist",
        processes=["embed", "learn"],
        audiences=["primary", "secondary"],
        languages=["en", "ar"],
        tags=["welcome", "induction"],
        external_url="https://schools.cityofsanctuary.org/",
        video_url="https://youtu.be/dQw4w9WgXcQ",
        thumbnail=thumbnail,
        thumbnail_alt="",
    )
    resource.documents.create(document=document)
    related = add_resource(library, "Welcome signs", processes=["share"], tags=["welcome"])
    unrelated = add_resource(library, "Unrelated", processes=["share"], tags=["other"])
    resource.save_revision().publish()

    html = client.get(resource.url).content.decode()
    assert f'href="{document.url}"' in html
    document.refresh_from_db()
    assert f"PDF, {filesizeformat(document.file_size)}" in html
    assert "(external website)" in html
    assert 'href="https://schools.cityofsanctuary.org/"' in html
    assert "youtube-nocookie.com/embed/dQw4w9WgXcQ" in html
    assert "<iframe" not in html  # nothing loads from YouTube until the visitor asks
    assert "Last updated" in html
    assert 'href="/resources/tag/induction/"' in html
    assert 'href="/resources/embed/"' in html
    assert "Primary, Secondary" in html
    assert related.title in html
    assert unrelated.title not in html


@pytest.mark.django_db
def test_related_resources_put_those_sharing_most_first(client, library):
    from tests.factories import add_resource

    resource = add_resource(library, "Our welcome week", processes=["learn"], tags=["welcome", "induction", "buddies"])
    one_tag = add_resource(library, "One tag in common", processes=["share"], tags=["welcome"], date=None)
    three_tags = add_resource(
        library, "Three tags in common", processes=["share"], tags=["welcome", "induction", "buddies"]
    )
    process_only = add_resource(library, "Same process only", processes=["learn"], tags=["other"])
    add_resource(library, "Nothing in common", processes=["share"], tags=["other"])

    related = resource.related_resources(library, list(resource.tags.all()), list(resource.processes.all()))
    assert [page.title for page in related] == [three_tags.title, one_tag.title, process_only.title]
    html = client.get(resource.url).content.decode()
    assert html.index(three_tags.title) < html.index(one_tag.title) < html.index(process_only.title)
    assert "Nothing in common" not in html


class AddFromListingsTests(WagtailPageTestCase):
    """Editors start a resource from the resource-type or tag listing, with that type or tag filled in."""

    @classmethod
    def setUpTestData(cls):
        ensure_vocabularies()
        root = Page.get_first_root_node()
        cls.home = HomePage(title="Home", slug="res-home", hero_heading="Welcome", hero_intro="Coventry.")
        root.add_child(instance=cls.home)
        Site.objects.update(root_page=cls.home)
        cls.library = ResourceIndexPage(title="Resource library", slug="resources")
        cls.home.add_child(instance=cls.library)
        cls.lesson = ResourceType.objects.create(name="Lesson plan", slug="lesson-plan")
        resource = ResourcePage(title="Refugee Week assembly", slug="assembly", summary="An assembly.")
        resource.resource_type = cls.lesson
        resource.tags.add("refugee week")
        cls.library.add_child(instance=resource)
        cls.editor = get_user_model().objects.create_superuser("editor", "editor@example.org", "a-long-password-1")

    def setUp(self):
        self.client.force_login(self.editor)

    def test_type_listing_counts_resources_and_offers_to_add_one(self):
        html = self.client.get("/admin/snippets/resources/resourcetype/").content.decode()
        add_url = f"/admin/pages/add/resources/resourcepage/{self.library.pk}/?resource_type=lesson-plan"
        assert f'href="{add_url}"' in html
        assert "Add a lesson plan" in html
        response = self.client.get(add_url)
        assert response.status_code == 200
        assert response.context["form"].initial["resource_type"] == self.lesson.pk

    def test_tag_listing_offers_to_add_a_resource_with_the_tag(self):
        response = self.client.get("/admin/resources/tags/")
        html = response.content.decode()
        assert "refugee week" in html
        add_url = f"/admin/pages/add/resources/resourcepage/{self.library.pk}/?tag=refugee-week"
        assert f'href="{add_url}"' in html
        assert 'href="/resources/tag/refugee-week/"' in html
        form = self.client.get(add_url).context["form"]
        assert "refugee week" in form["tags"].value() or "refugee week" in str(form["tags"].value())

    def test_unknown_prefill_values_are_ignored(self):
        url = f"/admin/pages/add/resources/resourcepage/{self.library.pk}/?resource_type=nope&tag=nope"
        response = self.client.get(url)
        assert response.status_code == 200
        assert response.context["form"].initial.get("resource_type") is None

    def test_the_public_cannot_see_the_tag_listing(self):
        self.client.logout()
        assert self.client.get("/admin/resources/tags/").status_code == 302


@pytest.mark.django_db
def test_help_text_names_where_the_lists_are_in_the_admin_menu(rf):
    """The type and language help texts send editors to a menu place that exists, under the label it has."""
    from wagtail.admin.menu import admin_menu

    editor = get_user_model().objects.create_superuser("menu-editor", "menu@example.org", "a-long-password-1")
    request = rf.get("/admin/")
    request.user = editor
    menu = {item.label: item for item in admin_menu.menu_items_for_request(request)}
    library_menu = menu["Resource library"]
    sub_labels = [item.label for item in library_menu.menu.menu_items_for_request(request)]
    assert "Resource types" in sub_labels
    assert "Languages" in sub_labels
    assert "Resource library → Resource types" in str(ResourcePage._meta.get_field("resource_type").help_text)
    assert "Resource library → Languages" in str(ResourcePage._meta.get_field("languages").help_text)
    assert "Snippets" not in str(ResourcePage._meta.get_field("resource_type").help_text)
    assert "Snippets" not in str(ResourcePage._meta.get_field("languages").help_text)
