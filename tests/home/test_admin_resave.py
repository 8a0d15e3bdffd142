"""Every demo page of every page type can be opened in the admin, saved unchanged and published.

An editor's most common action is to open a page and press Publish. If a form rule misreads what the admin
itself rendered (as the resource rule once misread its documents), every such page is stuck. So each demo
page's edit form is read back the way a browser submits it and posted with "Publish".

What the browser posts comes from the rendered HTML, with one exception: Wagtail's StreamField widget renders
no inputs. Its JavaScript builds them from the form state the server puts in `data-w-block-arguments-value`
(a `<div data-controller="w-block">`). `_stream_field_inputs` does what that JavaScript does, block by block,
from that state: the values posted are the ones in the page's HTML; the block definitions only say how
Wagtail's JavaScript names its inputs (`-count`, `-type`, `-order`, `-deleted`, `-id`, `-value`).
"""

import json
from collections import defaultdict

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail import blocks
from wagtail.fields import StreamField
from wagtail.models import Locale, Page

pytestmark = pytest.mark.slow(27)

EDIT_FORM_ID = "page-edit-form"
NOT_SUBMITTED_INPUT_TYPES = {"submit", "button", "reset", "image", "file"}


def _inside_template_or_disabled(element):
    """Controls inside a <template> are not part of the form (InlinePanel's blank row); disabled ones are
    never submitted."""
    for node in [element, *element.parents]:
        if node.name == "template":
            return True
        if node.name == "fieldset" and node.has_attr("disabled") and node is not element:
            return True
    return element.has_attr("disabled")


def _control_values(element):
    """The values one form control submits, as a browser does, or [] when it submits nothing."""
    if element.name == "input":
        kind = element.get("type", "text").lower()
        if kind in NOT_SUBMITTED_INPUT_TYPES:
            return []
        if kind in ("checkbox", "radio"):
            return [element.get("value", "on")] if element.has_attr("checked") else []
        return [element.get("value", "")]
    if element.name == "textarea":
        text = element.string or ""
        # The HTML parser drops a newline right after <textarea>; html.parser keeps it.
        return [text[1:] if text.startswith("\n") else text]
    if element.name == "select":
        options = [option for option in element.find_all("option") if not option.has_attr("disabled")]
        chosen = [option for option in options if option.has_attr("selected")]
        if not chosen and not element.has_attr("multiple") and options:
            chosen = options[:1]
        return [option.get("value", option.get_text()) for option in chosen]
    return []


def _stream_field_inputs(block, state, prefix, data):
    """Add to `data` the inputs Wagtail's block JavaScript renders for `state` of `block` under `prefix`."""
    if isinstance(block, blocks.StreamBlock):
        data[f"{prefix}-count"].append(str(len(state)))
        for index, child in enumerate(state):
            child_prefix = f"{prefix}-{index}"
            data[f"{child_prefix}-type"].append(child["type"])
            data[f"{child_prefix}-deleted"].append("")
            data[f"{child_prefix}-order"].append(str(index))
            data[f"{child_prefix}-id"].append(child.get("id") or "")
            _stream_field_inputs(block.child_blocks[child["type"]], child["value"], f"{child_prefix}-value", data)
    elif isinstance(block, blocks.ListBlock):
        data[f"{prefix}-count"].append(str(len(state)))
        for index, child in enumerate(state):
            child_prefix = f"{prefix}-{index}"
            data[f"{child_prefix}-deleted"].append("")
            data[f"{child_prefix}-order"].append(str(index))
            data[f"{child_prefix}-id"].append(child.get("id") or "")
            _stream_field_inputs(block.child_block, child["value"], f"{child_prefix}-value", data)
    elif isinstance(block, blocks.StructBlock):
        for name, child_block in block.child_blocks.items():
            _stream_field_inputs(child_block, state.get(name), f"{prefix}-{name}", data)
    elif isinstance(state, bool):  # a checkbox: sent only when ticked
        if state:
            data[prefix].append("on")
    elif isinstance(state, list):  # a <select>: its chosen options
        data[prefix].extend(str(value) for value in state)
    elif isinstance(state, dict):  # a chooser: a hidden input holding the chosen object's id
        data[prefix].append(str(state.get("id", "")))
    else:
        data[prefix].append("" if state is None else str(state))


def browser_form_data(html, page_model):
    """The POST data a browser would send for the admin's page edit form in `html`."""
    soup = BeautifulSoup(html, "html.parser")
    form = soup.find("form", id=EDIT_FORM_ID)
    assert form is not None, "the edit form is missing"
    data = defaultdict(list)
    controls = form.find_all(["input", "select", "textarea"]) + soup.find_all(
        ["input", "select", "textarea"], attrs={"form": EDIT_FORM_ID}
    )
    for control in controls:
        if control.get("name") and not _inside_template_or_disabled(control):
            data[control["name"]].extend(_control_values(control))
    stream_fields = {
        field.name: field.stream_block for field in page_model._meta.get_fields() if isinstance(field, StreamField)
    }
    for widget in form.select("[data-controller~='w-block'][data-w-block-arguments-value]"):
        if _inside_template_or_disabled(widget):
            continue
        name = widget["id"]
        assert name in stream_fields, f"a StreamField widget {name!r} the test does not know how to submit"
        state, _errors = json.loads(widget["data-w-block-arguments-value"])
        _stream_field_inputs(stream_fields[name], state, name, data)
    return dict(data)


def form_error_messages(response):
    """What the editor is told is wrong, for the failure message."""
    context = response.context
    if context is None or "form" not in context:
        return f"status {response.status_code}, no form in the response"
    form = context["form"]
    messages = {"form": form.errors.get_json_data()}
    for name, formset in form.formsets.items():
        messages[name] = [errors for errors in formset.errors if errors] + list(formset.non_form_errors())
    return json.dumps(messages, indent=1, default=str)


def stream_blocks(page):
    """Each StreamField's blocks as (type, id) pairs: what a round trip must keep."""
    return {
        field.name: [(child.block_type, child.id) for child in field.value_from_object(page)]
        for field in type(page)._meta.get_fields()
        if isinstance(field, StreamField)
    }


def project_page_types():
    return {
        model
        for model in apps.get_models()
        if issubclass(model, Page) and model is not Page and model._meta.app_label in settings.LOCAL_APPS
    }


@pytest.mark.django_db
def test_every_demo_page_saves_unchanged_and_publishes(demo_site, client):
    editor = get_user_model().objects.create_superuser("resave-editor", "resave@example.org", "a-long-password-1")
    client.force_login(editor)
    pages = list(Page.objects.live().filter(depth__gt=1).specific().order_by("path"))

    assert {type(page) for page in pages} == project_page_types(), "every page type needs demo content"

    for page in pages:
        edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
        response = client.get(edit_url)
        assert response.status_code == 200, f"{page.url_path}: the edit view answered {response.status_code}"
        html = response.content.decode()
        if page.alias_of_id:
            # An alias (a page not yet translated) is edited through its original, which is posted here too: its
            # edit view (wagtail-localize's) says so and offers to translate it, with no form of its own.
            assert "Translate this page" in html and EDIT_FORM_ID not in html, f"{page.url_path}: not shown as an alias"
            continue
        if page.locale_id != Locale.get_default().pk:
            # A translation opens in wagtail-localize's translation editor; tests/home/test_languages.py publishes
            # one through it.
            assert 'class="js-translation-editor"' in html, f"{page.url_path}: no translation editor"
            continue
        revision_before = page.get_latest_revision()
        blocks_before = stream_blocks(page)
        assert EDIT_FORM_ID in html, f"{page.url_path} ({page.locale.language_code}): no edit form"
        data = browser_form_data(html, type(page))
        data["action-publish"] = ["action-publish"]

        response = client.post(edit_url, data)

        assert response.status_code == 302, (
            f"{type(page).__name__} {page.url_path} could not be published unchanged:\n{form_error_messages(response)}"
        )
        page.refresh_from_db()
        latest = page.get_latest_revision()
        assert page.live and not page.has_unpublished_changes, page.url_path
        assert latest != revision_before, f"{page.url_path}: publishing made no new revision"
        assert latest == page.live_revision, f"{page.url_path}: the new revision is not the live one"
        assert stream_blocks(page) == blocks_before, f"{page.url_path}: blocks were lost or reordered"
