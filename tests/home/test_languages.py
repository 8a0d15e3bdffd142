"""Families in their own languages: the "For families" pages in English, Arabic and Ukrainian (translated with
wagtail-localize), aliases of the English pages in Persian and Pashto, and the interface in each language.

The demo (demo/content/families.toml) is the fixture: it is what `make run` shows and what the browser test
(tests/browser/test_languages.py) drives.
"""

import io
import xml.etree.ElementTree as ET

import polib
import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.management import call_command
from wagtail.models import Locale, Page, PageLogEntry
from wagtail.rich_text import RichText
from wagtail_localize.models import StringTranslation, Translation

from home.models import ContentPage
from tests.factories import load_demo_part

FAMILIES = "/for-families/"
WELCOME = "/for-families/welcome-to-a-coventry-school/"


def page(client, path, **headers):
    response = client.get(path, **headers)
    assert response.status_code == 200, f"{path}: {response.status_code}"
    return BeautifulSoup(response.content, "html.parser")


def html_attributes(soup):
    return soup.html.get("lang"), soup.html.get("dir")


# --- Addresses, languages and directions -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "path, lang, direction, heading",
    [
        (FAMILIES, "en-GB", "ltr", "For families"),
        ("/ar" + FAMILIES, "ar", "rtl", "للعائلات"),
        ("/uk" + FAMILIES, "uk", "ltr", "Для родин"),
        ("/ar" + WELCOME, "ar", "rtl", "مرحبًا بكم في مدرسة في كوفنتري"),
        ("/uk" + WELCOME, "uk", "ltr", "Ласкаво просимо до школи в Ковентрі"),
    ],
)
def test_each_language_has_its_address_lang_and_direction(client, demo_site, path, lang, direction, heading):
    soup = page(client, path)
    assert html_attributes(soup) == (lang, direction)
    assert soup.h1.get_text(strip=True) == heading


@pytest.mark.parametrize("code, direction", [("fa", "rtl"), ("ps", "rtl")])
def test_an_untranslated_page_says_so_in_the_visitors_language_and_links_to_english(client, demo_site, code, direction):
    """Persian and Pashto have the families pages as aliases of the English ones: the English text, marked as
    English, under a notice in the visitor's language that links to the English page."""
    soup = page(client, f"/{code}{FAMILIES}")
    assert html_attributes(soup) == (code, direction)
    notice = soup.select_one(".untranslated-notice")
    expected = {"fa": "این صفحه هنوز به فارسی ترجمه نشده است.", "ps": "دا پاڼه لا تر اوسه پښتو ته نه ده ژباړل شوې."}
    assert expected[code] in notice.get_text(" ", strip=True)
    link = notice.find("a")
    assert link["href"] == FAMILIES and link["hreflang"] == "en-GB"
    english = soup.h1.find_parent(attrs={"lang": True})
    assert (english["lang"], english["dir"]) == ("en-GB", "ltr")
    # The interface inside the English text (the contact card, the resources in their language) stays theirs.
    for part in (soup.select_one(".contact-card"), soup.select_one('[aria-labelledby="language-resources-heading"]')):
        assert (part["lang"], part["dir"]) == (code, direction)
    assert soup.h1.get_text(strip=True) == "For families"


def test_a_translated_page_has_no_untranslated_notice(client, demo_site):
    assert page(client, "/ar" + FAMILIES).select_one(".untranslated-notice") is None
    assert page(client, FAMILIES).select_one(".untranslated-notice") is None


def test_the_address_not_the_browser_chooses_the_language(client, demo_site):
    """An English address is English whatever the browser asks for (and the page cache may key on the address)."""
    soup = page(client, FAMILIES, HTTP_ACCEPT_LANGUAGE="ar", HTTP_COOKIE="django_language=ar")
    assert html_attributes(soup) == ("en-GB", "ltr")
    assert soup.h1.get_text(strip=True) == "For families"


def test_a_page_not_in_a_language_is_not_found_there_and_navigation_falls_back_to_english(client, demo_site):
    assert client.get("/ar/about/").status_code == 404
    # Tigrinya has a catalogue but no locale yet, and then no pages: never the English pages under its prefix.
    assert client.get("/ti/").status_code == 404 and client.get("/ti/for-families/").status_code == 404
    Locale.objects.create(language_code="ti")
    assert client.get("/ti/").status_code == 404
    soup = page(client, "/ar" + FAMILIES)
    menu = {link.get_text(strip=True): link["href"] for link in soup.select(".site-nav a")}
    assert menu["للعائلات"] == "/ar" + FAMILIES  # translated: stays in Arabic
    assert menu["What is a School of Sanctuary?"] == "/about/"  # not translated: the English page
    assert soup.select_one(".site-header__brand")["href"] == "/ar/"
    crumbs = [link.get_text(strip=True) for link in soup.select(".breadcrumbs a")]
    assert crumbs == ["الرئيسية", "للعائلات"]


# --- The language switcher and alternates ----------------------------------------------------------------------


def test_the_switcher_names_each_language_in_itself_with_lang_and_hreflang(client, demo_site):
    soup = page(client, "/ar" + WELCOME)
    switcher = soup.select_one("nav.language-switcher")
    assert switcher["aria-label"] == "اللغات"
    links = [
        (a.get_text(strip=True), a["href"], a["lang"], a["hreflang"], a.get("aria-current")) for a in switcher("a")
    ]
    assert links == [
        ("English", WELCOME, "en-GB", "en-GB", None),
        ("العربيّة", "/ar" + WELCOME, "ar", "ar", "true"),
        ("Українська", "/uk" + WELCOME, "uk", "uk", None),
    ]


def test_head_links_every_translation_with_hreflang_and_english_as_the_default(client, demo_site):
    soup = page(client, FAMILIES)
    alternates = {link["hreflang"]: link["href"] for link in soup.select('link[rel="alternate"][hreflang]')}
    assert alternates == {
        "en-GB": "http://localhost" + FAMILIES,
        "x-default": "http://localhost" + FAMILIES,
        "ar": "http://localhost/ar" + FAMILIES,
        "uk": "http://localhost/uk" + FAMILIES,
    }


def test_a_page_in_one_language_has_no_switcher_or_alternates(client, demo_site):
    soup = page(client, "/about/")
    assert soup.select_one("nav.language-switcher") is None
    assert soup.select('link[rel="alternate"][hreflang]') == []


def test_the_sitemap_lists_translations_with_their_alternates_and_no_aliases(client, demo_site):
    response = client.get("/sitemap.xml")
    tree = ET.fromstring(response.content)  # noqa: S314 - our own sitemap, in a test
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    urls = {url.findtext("s:loc", namespaces=ns): url for url in tree.findall("s:url", ns)}
    assert "http://localhost/ar" + WELCOME in urls and "http://localhost/uk" + WELCOME in urls
    assert not any("/fa/" in location or "/ps/" in location for location in urls), "aliases are not translations"
    alternates = {
        link.get("hreflang"): link.get("href") for link in urls["http://localhost/ar" + WELCOME].findall("x:link", ns)
    }
    assert alternates == {
        "en-GB": "http://localhost" + WELCOME,
        "ar": "http://localhost/ar" + WELCOME,
        "uk": "http://localhost/uk" + WELCOME,
    }
    assert urls["http://localhost/about/"].findall("x:link", ns) == []


# --- The interface in each language ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code, search_button, skip_link",
    [
        ("ar", "بحث", "انتقل إلى المحتوى الرئيسي"),
        ("fa", "جستجو", "رفتن به محتوای اصلی"),
        ("ps", "لټون", "اصلي منځپانګې ته لاړ شئ"),
        ("uk", "Пошук", "Перейти до основного вмісту"),
    ],
)
def test_the_interface_speaks_the_pages_language(client, demo_site, code, search_button, skip_link):
    soup = page(client, f"/{code}{FAMILIES}")
    assert soup.select_one(".site-search button").get_text(strip=True) == search_button
    assert soup.select_one(".skip-link").get_text(strip=True) == skip_link
    assert soup.select_one(".site-search")["action"] == f"/{code}/search/"


def test_a_page_in_arabic_links_to_the_librarys_resources_in_arabic(client, demo_site):
    from resources.models import ResourcePage

    in_arabic = ResourcePage.objects.live().filter(languages__code="ar").count()
    soup = page(client, "/ar" + FAMILIES)
    link = soup.select_one('[aria-labelledby="language-resources-heading"] a')
    assert link["href"] == "/resources/?language=ar"
    assert link.get_text(strip=True) == f"{in_arabic} من الموارد باللغة العربيّة"
    library = page(client, link["href"])
    assert len(library.select(".resource-card")) == in_arabic
    assert page(client, FAMILIES).select_one('[aria-labelledby="language-resources-heading"]') is None


def test_search_finds_the_pages_of_the_visitors_language(client, demo_site):
    soup = page(client, "/ar/search/?q=كوفنتري")
    results = [link["href"] for link in soup.select(".search-result a")]
    assert "/ar" + WELCOME in results and all(href.startswith("/ar/") for href in results)
    assert soup.select_one("h1").get_text(strip=True) == "بحث"
    english = [link["href"] for link in page(client, "/search/?q=families").select(".search-result a")]
    assert FAMILIES in english and not any(href.startswith(("/ar/", "/uk/", "/fa/")) for href in english)


def test_an_arabic_not_found_page_is_in_arabic(client, demo_site):
    response = client.get("/ar/no-such-page/")
    soup = BeautifulSoup(response.content, "html.parser")
    assert response.status_code == 404
    assert html_attributes(soup) == ("ar", "rtl")
    assert soup.h1.get_text(strip=True) == "الصفحة غير موجودة"


def test_the_catalogues_are_compiled_from_their_sources():
    """Each shipped .mo file holds exactly its .po file's translations (`make messages` rebuilds both)."""
    for po_path in sorted((settings.BASE_DIR / "locale").glob("*/LC_MESSAGES/django.po")):
        mo_path = po_path.with_suffix(".mo")
        assert mo_path.exists(), f"{mo_path} is missing: run `make messages`"
        compiled = {(entry.msgid, entry.msgstr) for entry in polib.mofile(str(mo_path)) if entry.msgid}
        source = {
            (entry.msgid, entry.msgstr)
            for entry in polib.pofile(str(po_path)).translated_entries()
            if not entry.msgid_plural
        }
        assert source <= compiled, f"{mo_path} is older than {po_path.name}: run `make messages`"


@pytest.mark.parametrize("code", ["ar", "fa", "ps", "uk"])
def test_the_family_facing_interface_is_fully_translated(code):
    po = polib.pofile(str(settings.BASE_DIR / "locale" / code / "LC_MESSAGES" / "django.po"))
    untranslated = [
        entry.msgid for entry in po.untranslated_entries() if entry.msgid not in dict(settings.LANGUAGES).values()
    ]
    assert untranslated == [], f"{code}: untranslated interface text"


# --- Query counts, the page cache --------------------------------------------------------------------------------


# English as the other content pages (tests/home/test_site.py). In another language Wagtail routes through that
# language's home page (its translation of the site's root: two queries more, and one per level), the menu reads the
# pages' translations, an alias reads what it is an alias of for its notice, and the library's resources in that
# language are counted (two queries).
@pytest.mark.parametrize(
    "path, max_queries", [(FAMILIES, 12), ("/ar" + FAMILIES, 18), ("/ar" + WELCOME, 20), ("/fa" + FAMILIES, 20)]
)
def test_translated_pages_have_a_pinned_query_count(
    client, demo_site, django_assert_max_num_queries, path, max_queries
):
    client.get(path)  # warm Wagtail's per-process caches, as any visit after the first finds them
    with django_assert_max_num_queries(max_queries):
        assert client.get(path).status_code == 200


def test_the_page_cache_never_serves_one_languages_page_to_another(client, demo_site, page_cache_on):
    assert html_attributes(page(client, "/ar" + FAMILIES)) == ("ar", "rtl")
    assert html_attributes(page(client, FAMILIES, HTTP_ACCEPT_LANGUAGE="ar")) == ("en-GB", "ltr")
    assert html_attributes(page(client, "/uk" + FAMILIES, HTTP_ACCEPT_LANGUAGE="ar")) == ("uk", "ltr")
    assert html_attributes(page(client, "/ar" + FAMILIES, HTTP_ACCEPT_LANGUAGE="en")) == ("ar", "rtl")


# --- Editors ---------------------------------------------------------------------------------------------------


def test_the_demo_translations_are_marked_for_a_translator_in_the_admin_only(client, demo_site, editor_client):
    arabic = ContentPage.objects.get(url_path__endswith="/for-families/", locale__language_code="ar")
    assert PageLogEntry.objects.filter(page=arabic, action="demo.translation_unchecked").exists()
    history = editor_client.get(f"/admin/pages/{arabic.pk}/history/")
    assert "Demo translation: to be checked by a translator" in history.content.decode()
    assert "translator" not in client.get("/ar" + FAMILIES).content.decode()


def test_locales_of_the_settings_exist_and_an_editor_can_add_another(demo_site, editor_client):
    assert set(Locale.objects.values_list("language_code", flat=True)) == set(settings.SITE_LOCALES)
    response = editor_client.post("/admin/locales/new/", {"language_code": "ckb"})
    assert response.status_code == 302
    Locale.objects.get(language_code="ckb")
    form = editor_client.get("/admin/locales/new/").content.decode()
    assert "Tigrinya" in form and "Somali" in form  # every language of LANGUAGES may be added


def test_an_editor_changes_a_translation_and_it_is_published(
    client, demo_site, editor, django_capture_on_commit_callbacks
):
    """What wagtail-localize's editor does when an editor corrects a string and publishes: the new text is served."""
    english = ContentPage.objects.get(url_path__endswith="/welcome-to-a-coventry-school/", locale=Locale.get_default())
    arabic_locale = Locale.objects.get(language_code="ar")
    translation = Translation.objects.get(source__object_id=english.translation_key, target_locale=arabic_locale)
    string = StringTranslation.objects.get(translation_of__data="The first days", locale=arabic_locale)
    string.data = "أيامكم الأولى في المدرسة"
    string.save()
    with django_capture_on_commit_callbacks(execute=True):  # wagtail-localize publishes once the edit commits
        translation.save_target(user=editor, publish=True)
    assert "أيامكم الأولى في المدرسة" in client.get("/ar" + WELCOME).content.decode()


def test_configure_site_creates_missing_locales(db):
    Locale.objects.exclude(language_code=settings.LANGUAGE_CODE).delete()
    call_command("configure_site", stdout=io.StringIO())
    assert set(Locale.objects.values_list("language_code", flat=True)) == set(settings.SITE_LOCALES)


def test_the_demo_puts_the_families_pages_in_every_site_locale_once(demo_home):
    """Translated where the demo has strings (Arabic, Ukrainian), aliased elsewhere; loading again adds nothing."""
    load_demo_part(demo_home, "families")
    families = Page.objects.filter(slug="for-families").select_related("locale")
    kinds = {page.locale.language_code: "alias" if page.alias_of_id else "page" for page in families}
    assert kinds == {"en-gb": "page", "ar": "page", "uk": "page", "fa": "alias", "ps": "alias"}
    homes = Page.objects.filter(depth=2).exclude(pk=demo_home.pk).select_related("locale")
    assert {home.locale.language_code: home.alias_of_id for home in homes} == {
        code: demo_home.pk for code in settings.SITE_LOCALES if code != settings.LANGUAGE_CODE
    }
    pages = Page.objects.count()
    load_demo_part(demo_home, "families")
    assert Page.objects.count() == pages


# --- What people type, in any script ---------------------------------------------------------------------------


def test_text_typed_in_arabic_on_the_board_is_shown_in_its_own_direction(client, board):
    """The board stays English, but a post written in Arabic (or mixing scripts) keeps its direction: the title,
    the message and the names carry `dir="auto"` or `<bdi>`, and the form's inputs let it be typed right to left."""
    from tests.factories import make_post

    post = make_post(
        board,
        title="أسبوع اللاجئين في مدرستنا",
        message="رحّب التلاميذ بالعائلات الجديدة بعشر لغات.",
        display_name="السيدة بيغوم",
        school="Whitley Primary",
    )
    soup = page(client, f"{board.url}posts/{post.pk}/")
    assert html_attributes(soup) == ("en-GB", "ltr")
    title = soup.select_one(".board-post__title")
    assert title["dir"] == "auto" and title.get_text(strip=True) == "أسبوع اللاجئين في مدرستنا"
    assert soup.select_one(".board-post__message")["dir"] == "auto"
    assert [bdi.get_text() for bdi in soup.select(".board-post__meta bdi")] == ["السيدة بيغوم", "Whitley Primary"]
    listing = page(client, board.url)
    assert listing.select_one(f"#post-{post.pk}-title")["dir"] == "auto"

    form = page(client, f"{board.url}post/")
    for name in ("title", "message", "display_name", "school"):
        assert form.select_one(f'[name="{name}"]')["dir"] == "auto", name
    assert form.select_one('[name="email"]').get("dir") is None  # an address is always left to right
    assert page(client, "/").select_one("#site-search-q")["dir"] == "auto"


def test_a_page_changed_after_its_translations_is_listed_on_the_dashboard_until_synced(demo_site, editor_client):
    """What tells editors a translation is out of date: the English page was published after its translations
    were last synced. wagtail-localize's "Sync translated pages" takes the change in, and the page leaves the list;
    the new sentence then waits for its translators in the Translations report."""
    english = ContentPage.objects.get(url_path__endswith="/who-to-ask-for-help/", locale=Locale.get_default())
    panel = BeautifulSoup(editor_client.get("/admin/").content, "html.parser").select_one(
        '[aria-labelledby="translations-behind-title"]'
    )
    assert "Every translation has been synced" in panel.get_text()

    english.intro = "People at school and at the council who can help you, in your language where they can."
    english.save_revision().publish()
    panel = BeautifulSoup(editor_client.get("/admin/").content, "html.parser").select_one(
        '[aria-labelledby="translations-behind-title"]'
    )
    links = {link.get_text(" ", strip=True): link["href"] for link in panel.select("li a")}
    assert links["Who to ask for help"] == f"/admin/pages/{english.pk}/edit/"
    sync = links["Sync translated pages of “Who to ask for help”"]
    assert editor_client.get(sync).status_code == 200  # wagtail-localize's confirmation

    assert editor_client.post(sync, {}).status_code == 302
    panel = BeautifulSoup(editor_client.get("/admin/").content, "html.parser").select_one(
        '[aria-labelledby="translations-behind-title"]'
    )
    assert "Every translation has been synced" in panel.get_text()
    arabic = Translation.objects.get(source__object_id=english.translation_key, target_locale__language_code="ar")
    assert arabic.get_progress() == (arabic.get_progress()[0], arabic.get_progress()[0] - 1)  # one new string


def test_a_form_in_arabic_says_what_is_wrong_in_arabic(rf):
    """The shared form template (its error summary, required and optional marks, button) and Django's own
    validation messages follow the page's language, for any form a translated page shows."""
    from django import forms
    from django.template.loader import render_to_string
    from django.utils import translation

    class AskForm(forms.Form):
        name = forms.CharField()
        school = forms.CharField(required=False)

    with translation.override("ar"):
        html = render_to_string("includes/form.html", {"form": AskForm(data={}), "action": "/"}, request=rf.get("/"))
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one("#error-summary-title").get_text(strip=True) == "هناك مشكلة"
    assert "هذا الحقل مطلوب" in soup.select_one(".field__error").get_text()
    assert soup.select_one(".optional").get_text(strip=True) == "(اختياري)"
    assert soup.select_one("button[type=submit]").get_text(strip=True) == "إرسال"
    assert soup.select_one('[name="name"]')["dir"] == "auto"


def test_feeds_and_calendars_stay_as_they_were(client, demo_site):
    """The feeds and the iCalendar subscription are English, at their old addresses, whatever the browser asks."""
    for path, content_type in [
        ("/events/feed/", "text/calendar"),
        ("/resources/feed/", "application/rss+xml"),
        ("/board/feed/rss/", "application/rss+xml"),
    ]:
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="ar")
        assert response.status_code == 200 and response["Content-Type"].startswith(content_type), path
        assert client.get("/ar" + path).status_code == 404, path  # the sections are not translated


def test_links_in_text_lead_to_the_page_in_the_visitors_language_at_a_fixed_cost(client, demo_site):
    """A link an editor made to an English page leads an Arabic reader to its Arabic version where there is one,
    else to the English page; however many links a text has, they cost the same queries (one for all)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    english_welcome = ContentPage.objects.get(
        url_path__endswith="/welcome-to-a-coventry-school/", locale=Locale.get_default()
    )
    about = ContentPage.objects.get(slug="about")
    arabic = ContentPage.objects.get(url_path__endswith="/for-families/", locale__language_code="ar")

    def with_links(count):
        links = "".join(
            f'<a linktype="page" id="{page.pk}">link {n}</a> '
            for n, page in enumerate([english_welcome, about] * count)
        )
        arabic.body = [("paragraph", RichText(f"<p>{links}</p>"))]
        arabic.save_revision().publish()
        client.get("/ar" + FAMILIES)
        with CaptureQueriesContext(connection) as queries:
            soup = page(client, "/ar" + FAMILIES)
        return soup, len(queries)

    soup, one_each = with_links(1)
    hrefs = [link["href"] for link in soup.select(".prose a")]
    assert hrefs == ["/ar" + WELCOME, "/about/"]
    _, ten_each = with_links(10)
    assert ten_each == one_each
