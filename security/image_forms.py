"""The admin's image upload form (WAGTAILIMAGES_IMAGE_FORM_BASE): Wagtail's own, plus the shape checks the
public's uploads get (security/uploads.py), so an editor's upload cannot stall the admin's image screens either."""

from wagtail.images.forms import BaseImageForm

from security.uploads import check_image_shape


class SiteImageForm(BaseImageForm):
    def clean_file(self):
        file = self.cleaned_data.get("file")
        # Wagtail's field has opened a new upload (header only) as `file.image`; a kept file has no `image`.
        if (image := getattr(file, "image", None)) is not None:
            check_image_shape(*image.get_size())
        return file
