"""The base app's page types and site-wide settings.

`HomePage`, `ContentPage` and `FormPage` (EMAS teacher enquiries) live here with `SiteSettings`;
feature apps add their own page types beneath the home page.
"""

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.forms import FormBuilder
from wagtail.contrib.forms.models import AbstractFormField, FormMixin
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Locale, Page
from wagtail.search import index

from page_cache import cache as page_cache
from security.public_input import HONEYPOT_FIELD_NAME, add_honeypot

from .blocks import RICH_TEXT_FEATURES, BaseStreamBlock, FooterLinkBlock, ProcessCardBlock
from .routing import page_view


class OneQueryChildRouteMixin:
    """Route to a child page in one query, fetched as its own type with what its page shows.

    For index pages whose children are all one page type (events, resources). Wagtail's own routing fetches
    the child as a base page, then its specific row, then the parent again for links, then related rows such
    as the image on first use: four or five queries where one does. For RoutablePageMixin indexes, listed
    before it; the index's own routes (feed/, tag/..., webinars/...) still win over a child with the same slug,
    as in Wagtail.
    """

    child_route_model = None  # the children's page type: a model, or its name in the index's app (required)
    child_route_select_related = ()  # foreign keys every child page shows

    def route(self, request, path_components):
        if self.live and path_components and not self._is_own_route(path_components):
            model = self.child_route_model
            if isinstance(model, str):
                model = apps.get_model(self._meta.app_label, model)
            child = (
                model.objects.child_of(self)
                .select_related(*self.child_route_select_related)
                .filter(slug=path_components[0])
                .first()
            )
            if child is not None:
                child._cached_parent_obj = self
                return child.route(request, path_components[1:])
        return super().route(request, path_components)

    def _is_own_route(self, path_components):
        """Whether RoutablePageMixin answers this path itself (feed/, tag/<slug>/, webinars/...)."""
        try:
            self.resolve_subpage("/" + "/".join(path_components) + "/")
        except Http404:
            return False
        return True


class PageMetaMixin:
    """What every page type offers the base template for <title>, meta description and Open Graph."""

    def get_meta_description(self):
        return self.search_description or getattr(self, "intro", "") or ""

    def get_social_image(self):
        return None


class IndexedWithChildRelationsMixin:
    """Index the page again once its child relations (tags, inline panels such as speakers) are stored.

    Wagtail updates the search index from `post_save`, which fires before modelcluster writes a page's child
    relations; without this, what an editor adds to those at publish time is only searchable after the next save.
    """

    def save(self, *args, **kwargs):
        result = super().save(*args, **kwargs)
        # Partial saves (e.g. Wagtail recording the latest revision) write no child relations: nothing to re-index.
        if kwargs.get("update_fields") is None:
            index.insert_or_update_object(self)
        return result


class ImageWithAltText(models.Model):
    """A page's or snippet's one picture and the text that stands in for it, declared once for every model.

    Not used directly: `image_with_alt_text()` makes the abstract model that adds the two fields, named as each
    model already names them (`hero_image`, `thumbnail`, `image`) because the names are columns in the database
    and keys in every stored page revision. The picture is optional and stays when a Wagtail image is deleted
    (the field is emptied); the alt text may be empty for a decorative picture unless the model says it is
    required (`alt_text_required`: the board, where a visitor's photo always carries meaning)."""

    image_field = "image"
    alt_text_required = False

    class Meta:
        abstract = True

    @classmethod
    def alt_field(cls):
        return f"{cls.image_field}_alt"

    @classmethod
    def image_panels(cls):
        """The two fields' admin panels, for a model that puts them in a group of its own."""
        return [FieldPanel(cls.image_field), FieldPanel(cls.alt_field())]

    @classmethod
    def image_panel(cls, heading="Image"):
        return MultiFieldPanel(cls.image_panels(), heading=heading)

    def clean(self):
        super().clean()
        alt_text = getattr(self, self.alt_field())
        if self.alt_text_required and getattr(self, f"{self.image_field}_id") and not alt_text.strip():
            raise ValidationError({self.alt_field(): "Describe the image for people who cannot see it."})

    def get_social_image(self):
        """For pages (PageMetaMixin): the picture shared with a link to the page is its own picture."""
        return getattr(self, self.image_field)


def image_with_alt_text(image_field="image", *, help_text, alt_help_text, alt_text_required=False):
    """An abstract `ImageWithAltText` with the fields `<image_field>` (a Wagtail image) and `<image_field>_alt`.

    Each model keeps its own help texts: they tell editors what the picture is for on that page."""
    fields = {
        image_field: models.ForeignKey(
            "wagtailimages.Image",
            null=True,
            blank=True,
            on_delete=models.SET_NULL,
            related_name="+",
            help_text=help_text,
        ),
        # "Alt text", not Django's "<image> alt": the term editors meet in Wagtail's image chooser and guidance.
        f"{image_field}_alt": models.CharField("alt text", max_length=250, blank=True, help_text=alt_help_text),
    }
    name = image_field.title().replace("_", "") + "AndAltText"
    return type(ImageWithAltText)(
        name,
        (ImageWithAltText,),
        {
            "__module__": __name__,
            "__qualname__": name,
            "image_field": image_field,
            "alt_text_required": alt_text_required,
            "Meta": type("Meta", (), {"abstract": True}),
            **fields,
        },
    )


HeroImage = image_with_alt_text(
    "hero_image",
    help_text="A wide photograph or illustration. Photos of pupils need consent.",
    alt_help_text="Describe the image for people who cannot see it. Leave empty only if it is purely decorative.",
)


class HomePage(HeroImage, PageMetaMixin, Page):
    """The site's front page: hero, the three processes, and slots feature apps fill."""

    hero_heading = models.CharField(max_length=120, help_text="The main heading visitors see first.")
    hero_intro = models.TextField(
        max_length=600, help_text="One or two sentences under the heading: what the programme is."
    )
    process_cards = StreamField(
        [("process", ProcessCardBlock())],
        blank=True,
        max_num=6,
        help_text="The award's processes: Learn, Embed, Share. Each card links to its page.",
    )
    body = StreamField(BaseStreamBlock(), blank=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("hero_heading"),
                FieldPanel("hero_intro"),
                *HeroImage.image_panels(),
            ],
            heading="Hero",
        ),
        FieldPanel("process_cards"),
        FieldPanel("body"),
        HelpPanel(
            content="Upcoming events, new resources and recent board posts are added to the home page "
            "automatically from their own sections of the site."
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("hero_heading"),
        index.SearchField("hero_intro"),
        index.SearchField("body"),
    ]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = "home page"

    @classmethod
    def in_default_language(cls):
        """The home page in the site's default language: the site's root, which every other language's home page
        (a translation, or an alias until translated) follows."""
        return cls.objects.get(locale=Locale.get_default())

    def get_meta_description(self):
        return self.search_description or self.hero_intro


# The award's three processes. Feature apps match their own vocabularies (resource processes, board sections)
# to these slugs when they fill a process page's slots.
PROCESS_CHOICES = [("learn", "Learn"), ("embed", "Embed"), ("share", "Share")]


class ContentPage(PageMetaMixin, Page):
    """A general page of text and media: the programme, the processes, policies.

    What changes from week to week (resources, events, board posts) is never typed into the body: a process page
    (`process` set) shows that process's from each feature app's `process_page_slots`, and a page with
    `show_whats_on` the next event and latest recording from `whats_on_slots`.
    """

    intro = models.TextField(
        max_length=600, blank=True, help_text="A short summary shown under the title and in search results."
    )
    body = StreamField(BaseStreamBlock(), blank=True)
    process = models.CharField(
        "award process",
        max_length=10,
        choices=PROCESS_CHOICES,
        blank=True,
        help_text="For the Learn, Embed and Share pages: lists that process's resources, upcoming events and board "
        "posts under the page.",
    )
    show_whats_on = models.BooleanField(
        "show what's on",
        default=False,
        help_text="Show the next event with its sign-up link and the latest webinar recording under the page.",
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("process"), FieldPanel("show_whats_on")],
            heading="Added from other sections of the site",
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["home.HomePage", "home.ContentPage"]

    class Meta:
        verbose_name = "content page"


@register_setting(icon="cog")
class SiteSettings(BaseSiteSetting):
    """Contact details and footer links editors change without a developer."""

    organisation_name = models.CharField(max_length=120, default="Coventry Schools of Sanctuary")
    team_name = models.CharField(
        max_length=120, default="EMAS Teacher Team", help_text="The team that runs the programme."
    )
    postal_address = models.TextField(blank=True, help_text="One line per address line.")
    telephone = models.CharField(
        max_length=30,
        blank=True,
        validators=[RegexValidator(r"^[0-9 +()-]+$", "Use digits, spaces, + ( ) and - only.")],
    )
    enquiry_email = models.EmailField(
        blank=True,
        help_text="Enquiries from the contact form are emailed here. Never shown on the public site.",
    )
    footer_links = StreamField([("link", FooterLinkBlock())], blank=True, max_num=12)

    panels = [
        MultiFieldPanel([FieldPanel("organisation_name"), FieldPanel("team_name")], heading="Organisation"),
        MultiFieldPanel(
            [FieldPanel("postal_address"), FieldRowPanel([FieldPanel("telephone"), FieldPanel("enquiry_email")])],
            heading="Contact",
        ),
        FieldPanel("footer_links"),
    ]

    class Meta:
        verbose_name = "site settings"

    @property
    def address_lines(self):
        return [line.strip() for line in self.postal_address.splitlines() if line.strip()]


class EnquiryFormField(AbstractFormField):
    page = ParentalKey("FormPage", on_delete=models.CASCADE, related_name="form_fields")


# What a field asks for, told to browsers and assistive technology (WCAG 1.3.5, identify input purpose), so
# they can fill it in. Checked in order against the field's label, lower-cased; email fields need no label.
AUTOCOMPLETE_BY_LABEL = (
    (("school", "organisation", "organization", "setting", "company", "employer"), "organization"),
    (("telephone", "phone", "mobile"), "tel"),
    (("email", "e-mail"), "email"),
    (("postcode", "post code"), "postal-code"),
    (("name",), "name"),
)


def autocomplete_purpose(field):
    """The `autocomplete` token for a form builder field (a Django form field), or "" when it asks for none.

    Editors build the enquiry form in the admin and name the fields themselves, so the purpose is read from
    the field type and the label rather than stored per field.
    """
    if getattr(field.widget, "input_type", "") == "email":
        return "email"
    if getattr(field.widget, "input_type", "") not in ("text", "email", "tel"):
        return ""
    label = str(field.label or "").lower()
    for words, purpose in AUTOCOMPLETE_BY_LABEL:
        if any(word in label for word in words):
            return purpose
    return ""


class EnquiryFormBuilder(FormBuilder):
    """Wagtail's form builder, plus our honeypot and each field's `autocomplete` purpose."""

    def get_form_class(self):
        form_class = super().get_form_class()

        class EnquiryForm(form_class):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                for field in self.fields.values():
                    purpose = autocomplete_purpose(field)
                    if purpose:
                        field.widget.attrs["autocomplete"] = purpose
                add_honeypot(self)

        return EnquiryForm


class FormPage(RoutablePageMixin, PageMetaMixin, FormMixin, Page):
    """A form built in the admin (EMAS teacher enquiries); submissions are stored and emailed.

    Submissions go to the enquiry address in Site settings, so the address lives in one place. A sent enquiry
    is answered with a redirect to `thank-you/` (Post/Redirect/Get), so refreshing the thank-you page cannot
    send it again; that page shows the same text to everybody and nothing of what was sent.
    """

    intro = RichTextField(features=RICH_TEXT_FEATURES, blank=True)
    thank_you_text = RichTextField(
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text="Shown after a successful submission: say what happens next and how soon.",
    )
    email_subject = models.CharField(max_length=150, default="New enquiry from the Schools of Sanctuary website")

    form_builder = EnquiryFormBuilder
    content_panels = Page.content_panels + [
        FormSubmissionsPanel(),
        FieldPanel("intro"),
        InlinePanel("form_fields", label="Form fields"),
        FieldPanel("thank_you_text"),
        FieldPanel("email_subject"),
        HelpPanel(content="Submissions are emailed to the enquiry address in Settings → Site settings."),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = ["home.HomePage", "home.ContentPage"]
    subpage_types = []

    class Meta:
        verbose_name = "form page"

    def get_meta_description(self):
        return self.search_description

    # Routes (README "Layout"); the views live in home/views.py.
    form_route = page_view("", "home.views.enquiry_form")
    thank_you = page_view("thank-you/", "home.views.enquiry_thank_you", name="thank_you")

    def redirect_to_thank_you(self, request):
        return redirect(self.get_url(request) + self.reverse_subpage("thank_you"))

    def serve_preview(self, request, mode_name):
        # RoutablePageMixin previews only its index route; editors also preview the landing page.
        if mode_name == "landing":
            return self.render_landing_page(request)
        return self.form_route(request)

    def render_form(self, request, form, status=200):
        context = self.get_context(request)
        context["form"] = form
        return TemplateResponse(request, self.get_template(request), context, status=status)

    def process_form_submission(self, form):
        cleaned = {k: v for k, v in form.cleaned_data.items() if k != HONEYPOT_FIELD_NAME}
        with page_cache.changes_only():  # an enquiry changes no public page
            submission = self.get_submission_class().objects.create(form_data=cleaned, page=self)
        self.notify_enquiry_address(submission.pk)  # queued with the submission, delivered after commit
        return submission

    def notify_enquiry_address(self, submission_id):
        from .emails import send_enquiry_email

        send_enquiry_email(submission_id)
