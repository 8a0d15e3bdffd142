"""The picture and its alt text (home.models.image_with_alt_text): declared once for the four models that have one,
under the names their columns and stored revisions already use, with alt text required only on the board."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from wagtail.images import get_image_model

from board.models import BoardPost
from events.models import EventPage
from home.models import HomePage, ImageWithAltText
from resources.models import ResourcePage
from tests.factories import (
    add_resource,
    make_board,
    make_home,
    make_library,
    make_post,
    make_superuser,
    wagtail_image,
)

PICTURES = [(HomePage, "hero_image"), (EventPage, "image"), (ResourcePage, "thumbnail"), (BoardPost, "image")]


@pytest.mark.parametrize(("model", "name"), PICTURES)
def test_every_picture_is_the_one_pair_under_its_own_column_names(model, name):
    assert issubclass(model, ImageWithAltText) and model.image_field == name
    image, alt = model._meta.get_field(name), model._meta.get_field(f"{name}_alt")
    assert (image.column, alt.column) == (f"{name}_id", f"{name}_alt")
    assert image.related_model is get_image_model()
    assert image.null and image.blank and image.remote_field.on_delete is models.SET_NULL
    assert isinstance(alt, models.CharField) and alt.max_length == 250 and alt.blank
    assert image.help_text and alt.help_text  # each model tells its editors what its picture is for


def test_a_page_may_have_a_decorative_picture_and_shares_its_picture(db):
    library = make_library(make_home())
    resource = add_resource(library, "Welcome guide")
    resource.thumbnail, resource.thumbnail_alt = wagtail_image(), ""
    resource.full_clean()  # no alt text: the picture is decorative
    assert resource.get_social_image() == resource.thumbnail


def test_a_board_photo_needs_alt_text_and_the_admin_says_so_beside_the_field(client, demo_home):
    board = make_board(demo_home)
    post = make_post(board, title="Our welcome wall")
    post.image, post.image_alt = wagtail_image(), "  "
    with pytest.raises(ValidationError) as refused:
        post.full_clean()
    assert refused.value.message_dict == {"image_alt": ["Describe the image for people who cannot see it."]}

    # A moderator adding the photo in the admin without alt text: the error is beside the field, nothing is saved.
    client.force_login(make_superuser())
    data = {
        "board": board.pk,
        "section": post.section_id,
        "title": "Our welcome wall, with a photo",
        "message": post.message,
        "link": "",
        "image": post.image.pk,
        "image_alt": "",
        "attachment_name": "",
        "display_name": "",
        "school": "",
        "email": "",
    }
    url = f"/admin/snippets/board/boardpost/edit/{post.pk}/"
    # Labelled as editors know it from Wagtail's image chooser, not "Image alt".
    assert re.search(r'<label [^>]*for="id_image_alt"[^>]*>\s*Alt text\s*<', client.get(url).content.decode())
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors == {"image_alt": ["Describe the image for people who cannot see it."]}
    post.refresh_from_db()
    assert (post.title, post.image_id) == ("Our welcome wall", None)
