"""Admin menus for the library's editor-managed lists, and the home page's "new resources" slot."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from home.templatetags.site_tags import render_slot

from .models import Language, ResourcePage, ResourceType


class ResourceTypeViewSet(SnippetViewSet):
    model = ResourceType
    icon = "tag"
    menu_label = "Resource types"
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name"]


class LanguageViewSet(SnippetViewSet):
    model = Language
    icon = "site"
    menu_label = "Languages"
    list_display = ["name", "native_name", "code"]
    search_fields = ["name"]


class ResourceListsGroup(SnippetViewSetGroup):
    """Editors find the lists that describe resources in one place in the menu."""

    items = (ResourceTypeViewSet, LanguageViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = "Resource library"
    menu_name = "resource-library"


register_snippet(ResourceListsGroup)

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
