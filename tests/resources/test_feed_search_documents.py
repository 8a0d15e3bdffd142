"""The feed of new resources, site search over resources, documents served with their privacy, and the
home page's "new resources" slot."""

import datetime
import xml.etree.ElementTree as ET

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from demo.files import make_pdf
from tests.factories import add_resource


def make_document(title, collection=None):
    document = get_document_model()(title=title, collection=collection or Collection.get_first_root_node())
    document.file.save(f"{title.lower().replace(' ', '-')}.pdf", ContentFile(make_pdf(title, ["Text"])), save=False)
    document.save()
    return document


def test_feed_lists_newest_public_resources(client, library):
    add_resource(library, "Older guide", summary="From last year.", date=datetime.date(2023, 1, 1), tags=["welcome"])
    add_resource(library, "Newest assembly", summary="For Refugee Week.", date=datetime.date(2024, 6, 1))
    add_resource(library, "Unpublished draft", live=False)
    private = add_resource(library, "Staff only")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    response = client.get("/resources/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")  # noqa: S314 - our own feed, in a test
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == ["Newest assembly", "Older guide"]
    assert items[0].findtext("description") == "For Refugee Week."
    newest = library.get_children().get(title="Newest assembly")
    assert items[0].findtext("link") == newest.get_full_url()
    assert "welcome" in [category.text for category in items[1].findall("category")]


def test_library_links_its_feed(client, library):
    html = client.get("/resources/").content.decode()
    assert '<link rel="alternate" type="application/rss+xml" title="New resources" href="/resources/feed/">' in html


def test_site_search_finds_resources_by_title_summary_body_and_tags(client, library):
    add_resource(
        library,
        "Marmalade welcome kit",
        summary="Everything about the quokka induction.",
        body=[("paragraph", "<p>Includes a zeppelin timetable.</p>")],
        tags=["kumquat"],
    ).save_revision().publish()
    add_resource(library, "Something else entirely")
    for word in ["marmalade", "quokka", "zeppelin", "kumquat"]:
        response = client.get(f"/search/?q={word}")
        html = response.content.decode()
        assert "Marmalade welcome kit" in html, word
        assert "Something else entirely" not in html
        assert "1 result for" in html

    # An editor changes the tags and publishes: search follows.
    resource = library.get_children().get(title="Marmalade welcome kit").specific
    resource.tags.set(["persimmon"])
    resource.save_revision().publish()
    assert "Marmalade welcome kit" in client.get("/search/?q=persimmon").content.decode()
    assert "Marmalade welcome kit" not in client.get("/search/?q=kumquat").content.decode()


def test_site_search_leaves_out_drafts_and_private_resources(client, library):
    add_resource(library, "Quokka draft", live=False)
    private = add_resource(library, "Quokka staff notes")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    html = client.get("/search/?q=quokka").content.decode()
    assert "Quokka draft" not in html
    assert "Quokka staff notes" not in html


def test_public_document_downloads_through_wagtails_document_view(client, library):
    document = make_document("Induction checklist")
    resource = add_resource(library, "Induction checklist")
    resource.documents.create(document=document)
    resource.save_revision().publish()
    html = client.get(resource.url).content.decode()
    assert f'href="{document.url}"' in html
    assert document.url.startswith("/documents/")  # never straight from the media folder
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(f"/media/{document.file.name}").status_code == 404


def test_document_in_a_private_collection_is_not_served_to_the_public(client, library):
    root = Collection.get_first_root_node()
    private = root.add_child(name="EMAS staff only")
    CollectionViewRestriction.objects.create(collection=private, restriction_type=CollectionViewRestriction.LOGIN)
    document = make_document("Staff notes", collection=private)
    resource = add_resource(library, "Staff notes")
    resource.documents.create(document=document)
    resource.save_revision().publish()

    assert document.url not in client.get(resource.url).content.decode()  # no link that leads nowhere

    response = client.get(document.url)
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    assert b"%PDF" not in response.content
    assert client.get(f"/media/{document.file.name}").status_code == 404

    editor = get_user_model().objects.create_user("emas", "emas@example.org", "a-long-password-1")
    client.force_login(editor)
    assert f'href="{document.url}"' in client.get(resource.url).content.decode()
    allowed = client.get(document.url)
    assert allowed.status_code == 200
    assert b"".join(allowed.streaming_content).startswith(b"%PDF")


def test_documents_cost_one_privacy_query_per_collection_not_per_document(client, library):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    root = Collection.get_first_root_node()
    private = root.add_child(name="EMAS staff only")
    CollectionViewRestriction.objects.create(collection=private, restriction_type=CollectionViewRestriction.LOGIN)

    def resource_with(public_documents):
        resource = add_resource(library, f"Pack of {public_documents}")
        for number in range(public_documents):
            resource.documents.create(document=make_document(f"Public sheet {public_documents}-{number}"))
        resource.documents.create(document=make_document(f"Staff notes {public_documents}", collection=private))
        resource.save_revision().publish()
        return resource

    def queries_for(resource, public_documents):
        client.get(resource.url)
        with CaptureQueriesContext(connection) as queries:
            html = client.get(resource.url).content.decode()
        assert html.count("Public sheet") == public_documents and "Staff notes" not in html
        return len(queries)

    one, six = resource_with(1), resource_with(6)  # each is the other's related resource
    assert queries_for(one, 1) == queries_for(six, 6)


def test_home_page_shows_new_resources(client, library):
    add_resource(library, "Old one", date=datetime.date(2020, 1, 1))
    add_resource(library, "Newer", date=datetime.date(2024, 1, 1))
    add_resource(library, "Newest", date=datetime.date(2024, 6, 1))
    add_resource(library, "Featured classic", date=datetime.date(2019, 1, 1), featured=True)
    add_resource(library, "Draft", date=datetime.date(2025, 1, 1), live=False)
    html = client.get("/").content.decode()
    assert "New resources" in html
    for title in ["Featured classic", "Newest", "Newer"]:
        assert title in html
    assert "Old one" not in html
    assert "Draft" not in html
    assert 'href="/resources/">Browse the resource library' in html


def test_home_page_without_resources_has_no_empty_slot(client, library):
    assert "New resources" not in client.get("/").content.decode()


def test_sitemap_lists_the_process_and_tag_listings_that_have_public_resources(client, library):
    add_resource(library, "Welcome signs", processes=["share"], tags=["welcome"])
    add_resource(library, "Draft only", processes=["embed"], tags=["draft-tag"], live=False)
    private = add_resource(library, "Staff only", processes=["learn"], tags=["staff-tag"])
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    xml = client.get("/sitemap.xml").content.decode()
    assert "<loc>http://localhost/resources/</loc>" in xml
    assert "<loc>http://localhost/resources/share/</loc>" in xml
    assert "<loc>http://localhost/resources/tag/welcome/</loc>" in xml
    for hidden in ("/resources/embed/", "/resources/learn/", "draft-tag", "staff-tag"):
        assert hidden not in xml
    assert client.get("/resources/share/").status_code == 200
    assert client.get("/resources/tag/welcome/").status_code == 200
