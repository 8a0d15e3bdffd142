"""Admin menus for the library's editor-managed lists and the award's eight criteria, adding a resource from a type
or tag listing, and the home page's "new resources" slot."""

from contextvars import ContextVar

from django.db.models import Count, Q
from django.dispatch import receiver
from django.urls import path, reverse
from django.utils.html import format_html
from taggit.models import Tag
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.signals import init_new_page
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from home.models import PROCESS_CHOICES
from home.templatetags.site_tags import render_slot

from . import admin_views, structure
from .models import AwardCriterion, Language, ResourceIndexPage, ResourcePage, ResourceType


def _add_resource_link(resource_type):
    url = admin_views.add_resource_url(resource_type=resource_type.slug)
    return format_html('<a href="{}">Add a {}</a>', url, resource_type.name.lower()) if url else ""


class ResourceTypeViewSet(SnippetViewSet):
    model = ResourceType
    icon = "tag"
    menu_label = "Resource types"
    list_display = [
        "name",
        "slug",
        Column("resource_count", label="Resources"),
        Column("add_resource", label="Add", accessor=_add_resource_link),
    ]
    search_fields = ["name"]

    def get_queryset(self, request):
        return ResourceType.objects.annotate(resource_count=Count("resources"))


class LanguageViewSet(SnippetViewSet):
    model = Language
    icon = "site"
    menu_label = "Languages"
    list_display = ["name", "native_name", "code"]
    search_fields = ["name"]


class AwardCriterionViewSet(SnippetViewSet):
    """The award's eight minimum criteria, 1 to 8: editors reword them; the site structure made all eight, so
    there is nothing to add (a number is unique and 1 to 8)."""

    model = AwardCriterion
    icon = "list-ol"
    menu_label = "Award criteria"
    list_display = [
        Column("number", label="No.", sort_key="number"),
        "short_title",
        "process",
        Column("resource_count", label="Resources"),
    ]
    ordering = ["number"]
    search_fields = ["short_title", "what_it_asks"]

    def get_queryset(self, request):
        return AwardCriterion.objects.select_related("process").annotate(resource_count=Count("resources"))


class ResourceListsGroup(SnippetViewSetGroup):
    """Editors find the lists that describe resources in one place in the menu."""

    items = (AwardCriterionViewSet, ResourceTypeViewSet, LanguageViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = "Resource library"
    menu_name = "resource-library"

    def get_submenu_items(self):
        items = super().get_submenu_items()
        items.append(MenuItem("Resource tags", reverse("resources_admin_tags"), icon_name="tag", order=300))
        return items


register_snippet(ResourceListsGroup)


@hooks.register("register_admin_urls")
def register_resource_admin_urls():
    return [path("resources/tags/", admin_views.resource_tags, name="resources_admin_tags")]


# "Add a lesson plan" / "Add a resource tagged …": the add-page address carries the type or tag, and the new
# resource starts with it filled in. The hook sees the request, the signal the new page; a context variable
# carries the choice from one to the other within the same request.
_prefill = ContextVar("resources_prefill", default=None)


@hooks.register("before_create_page")
def remember_resource_prefill(request, parent_page, page_class):
    wanted = None
    if request.method == "GET" and page_class is ResourcePage:
        wanted = {"resource_type": request.GET.get("resource_type", ""), "tag": request.GET.get("tag", "")}
    _prefill.set(wanted)


@receiver(init_new_page)
def prefill_new_resource(sender, page, parent, **kwargs):
    wanted = _prefill.get()
    _prefill.set(None)
    if not wanted or not isinstance(page, ResourcePage):
        return
    if wanted["resource_type"]:
        page.resource_type = ResourceType.objects.filter(slug=wanted["resource_type"][:60]).first()
    if wanted["tag"]:
        tag = Tag.objects.filter(slug=wanted["tag"][:100]).first()
        if tag is not None:
            page.tags.add(tag)


HOME_SLOT_SIZE = 3


@hooks.register("home_page_slots")
def new_resources_slot(context):
    """The newest public resources (featured first), in a fixed number of queries."""
    from .library import card_queryset

    resources = list(
        card_queryset(ResourcePage.objects.live().public()).order_by("-featured", "-publication_date", "-pk")[
            :HOME_SLOT_SIZE
        ]
    )
    if not resources:
        return ""
    library = resources[0].get_parent()
    return render_slot("resources/includes/home_slot.html", context, {"resources": resources, "library": library})


@hooks.register("process_page_slots", order=10)  # resources, then events, then posts
def process_resources_slot(context, process):
    """'Resources for Learn' on a process page: three of its public resources (featured first) and a link to the
    library's listing of that process; the same fixed number of queries as the home page's slot."""
    from .library import card_queryset

    resources = list(
        card_queryset(ResourcePage.objects.live().public().filter(processes__slug=process)).order_by(
            "-featured", "-publication_date", "-pk"
        )[:HOME_SLOT_SIZE]
    )
    if not resources:
        return ""
    library = ResourceIndexPage.objects.parent_of(resources[0]).first()
    return render_slot(
        "resources/includes/process_slot.html",
        context,
        {
            "resources": resources,
            "process_name": dict(PROCESS_CHOICES).get(process, process),
            "process_url": library.url + library.reverse_subpage("process", kwargs={"process_slug": process}),
        },
    )


@hooks.register("language_page_slots")
def resources_in_the_visitors_language(context, language_code):
    """On a page in Arabic (or another language than English): how many of the library's resources are in that
    language, linking to the library's language filter. Two queries (the language with its count, the library), and
    nothing when there are none."""
    codes = {language_code, language_code.split("-")[0]}
    language = (
        Language.objects.filter(code__in=codes)
        .annotate(
            resource_count=Count(
                "resources", filter=Q(resources__live=True, resources__view_restrictions__isnull=True), distinct=True
            )
        )
        .first()
    )
    library = ResourceIndexPage.objects.live().first() if language and language.resource_count else None
    if library is None:
        return ""
    return render_slot(
        "resources/includes/language_slot.html",
        context,
        {"language": language, "count": language.resource_count, "url": f"{library.url}?language={language.code}"},
    )


hooks.register("register_site_structure", structure.load)
