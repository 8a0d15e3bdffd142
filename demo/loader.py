"""The one loader of the demo content: the data files in demo/content/, created or filled in by slug, never twice.

The demo is made-up content (events, resources, board posts, pictures, documents) on top of the real site
structure (`home/structure.py` and each app's `register_site_structure` hook, which `load_site_structure` builds
for production). Each part of the demo is a TOML file, `demo/content/<part>.toml`, loaded in `PARTS` order into
its app's section of the structure (made first when it is missing, so one part can be loaded alone). A file holds:

- `[[pages]]`: pages of `type` (`app_label.Model`) to add under `parent`, with any field of that model.
  `[page_defaults]` gives the keys every page of the file shares; `extends = "<slug>"` starts from an earlier
  page of the file. A page is added only when its parent has no page with its slug, so what an editor changed
  is kept and a page an editor deleted comes back. An `upcoming = { weekday, days_ahead, start, end }` page
  (an event) is dated from the day the loader runs, its slug ending in that date, and a new dated copy is added
  only when no page of its slug is still to come: the demo never looks stale.
- `[[fill]]`: fields to `set` on an existing page while it still holds the `when` values ("" means empty).
- `[[insert]]`: a StreamField block put into an existing page's `field` once (while that field has no block of
  its type), after the first block matching `after` (else at the end).
- `[site_settings]`: fields of the default site's settings, each set only while empty.
- `[[records]]`: rows of `model` (e.g. a blocked word), added only while that model has none.
- `[posts]`: posts for the board at `board` (`[[posts.items]]`, oldest first), added only while it has none.
- `[[schools]]`: schools of the network (records, not pages), each with any field of `schools.School`, its
  `contacts` (private leads) and its `journey`: the moves it made, oldest first, each `{ to = "<status>",
  days_ago = N }` (optionally `note`, `panel`), made with `School.move_to` so its timeline exists, dated from the day
  the loader runs. A school is added only when none has its name, so running it again adds nothing. `evidence`
  fills its award workspace, as its first lead adds it (`criterion`, `days_ago`, the texts, a `file`: a one-page
  PDF of that title), and `progress` marks criteria `ready` or reviews them (`reviewed`, `needs_more`, `comment`).
- `[translations]`: the `pages` (paths, parents first) put into every other language of SITE_LOCALES, after the
  home page (an alias): translated through wagtail-localize where `[translations.<code>]` gives that language's
  strings (English -> translation, every string of the page, slugs too), each page's history then saying it is a
  demo translation to be checked by a translator; elsewhere an alias of the English page, as an editor's sync
  makes. A page already in a language is left as it is.
- `[pictures.<key>]` (one of the drawings in `demo/files.py`, stored once by title) and `[documents.<key>]`
  (a one-page PDF of `lines`, stored once by title): what the fields above name by key.

Values: TOML's own dates, date-times and times (Europe/London); rich text as a list of paragraphs, each a string
or `{ h3 = "…" }` / `{ ul = ["…"] }`; a StreamField as a list of `{ <block type> = <value> }`; a foreign key to a
page as its path below the home page ("events/<slug>"), to an image or a document as its key in this file, to
anything else as its slug, code or number (an award criterion: `criteria = [2, 5]`); a string that is exactly
`{NAME}` is the real site's value `SHARED[NAME]`.
"""

import io
import re
import tomllib
from collections import defaultdict
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import models, transaction
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.text import slugify
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalManyToManyField
from modelsearch import backends as search_backends
from modelsearch import index as search_index
from modelsearch import signal_handlers as search_signal_handlers
from wagtail import blocks
from wagtail.documents import get_document_model
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.images.blocks import ImageChooserBlock
from wagtail.log_actions import log
from wagtail.models import Locale, Page, ReferenceIndex, Site
from wagtail.rich_text import RichText
from wagtail.signal_handlers import disable_reference_index_auto_update
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource

from board import services as board_services
from board import structure as board_structure
from board.models import BoardPage, BoardPost, hash_token, new_token
from events import structure as events_structure
from home import structure as home_structure
from home.models import SiteSettings
from resources import structure as resources_structure
from resources.models import AwardCriterion
from schools import structure as schools_structure
from schools import workspace
from schools.models import School
from security.uploads import CleanedFile, clean_uploaded_image

from .files import illustration_description, make_banner_image, make_pdf

CONTENT = Path(__file__).resolve().parent / "content"

# The parts, in the order they load (resources link to the events), each with the site-structure loader of the
# section it goes into (`load(home, stdout)`), or None for the base app's pages, which must be there already.
PARTS = {
    "home": None,
    "events": events_structure.load,
    "resources": resources_structure.load,
    "board": board_structure.load,
    "schools": schools_structure.load,
    "families": None,
}

# The real site's values the demo refers to as "{NAME}", so each is written once, in the site structure.
SHARED = {
    "NATIONAL_SITE": home_structure.NATIONAL_SITE,
    "RESOURCE_PACK": home_structure.RESOURCE_PACK,
    "CITY_OF_SANCTUARY": home_structure.CITY_OF_SANCTUARY,
    "WEBINARS_INTRO": events_structure.WEBINARS_INTRO,
}
_REFERENCE = re.compile(r"^\{([A-Z_]+)\}$")
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
# The size a board post's photo is drawn at; it then goes through the posting form's image checks.
POST_PHOTO_SIZE = (800, 533)


def load(home, stdout, *, parts=None, today=None):
    """Load the demo `parts` (every part, in PARTS order, unless named) under `home`; return `home`.

    `today` dates the upcoming events (the current date unless given).
    """
    with indexed_once_at_the_end():
        for name in parts or PARTS:
            with transaction.atomic():
                Part(name, read(name), home, stdout, today or timezone.localdate()).load()
    return home


@contextmanager
def indexed_once_at_the_end():
    """Save the demo without updating the search index and Wagtail's reference index on every save, then update
    both once for each object saved.

    The demo saves a few hundred objects, most of them several times (a page, its revision, its publication), and
    those two updates on each save were a third of the load's time (`make run`, and each test that builds the
    demo). Whatever happens, the indexes are brought up to date for every saved object that exists afterwards
    (a part rolled back leaves nothing to index), and the signal handlers are connected again.
    """
    saved = defaultdict(set)

    def remember(sender, instance, raw=False, **kwargs):
        if not raw:
            saved[sender].add(instance.pk)

    indexed_models = [
        model for model in search_index.get_indexed_models() if getattr(model, "search_auto_update", True)
    ]
    for model in indexed_models:
        post_save.disconnect(search_signal_handlers.post_save_signal_handler, sender=model)
    post_save.connect(remember, dispatch_uid="demo-indexed-once-at-the-end", weak=False)
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        post_save.disconnect(dispatch_uid="demo-indexed-once-at-the-end")
        for model in indexed_models:
            post_save.connect(search_signal_handlers.post_save_signal_handler, sender=model)
        _index(saved, set(indexed_models))


def _index(saved, indexed_models):
    """Add the saved objects to the search backends (in bulk, per model) and to the reference index."""
    by_model = defaultdict(list)
    for model, pks in saved.items():
        objects = model._default_manager.filter(pk__in=pks)
        if issubclass(model, Page):
            objects = objects.specific()
        for obj in objects:
            by_model[type(obj)].append(obj)
    for model, objects in by_model.items():
        if model in indexed_models:
            indexed = list(model.get_indexed_objects().filter(pk__in=[obj.pk for obj in objects]))
            for backend in search_backends.get_search_backends(with_auto_update=True):
                backend.add_bulk(model, indexed)
        if ReferenceIndex.is_indexed(model):
            for obj in objects:
                ReferenceIndex.create_or_update_for_object(obj)


def translate_page(page, locale, strings):
    """Translate `page` into `locale` through wagtail-localize, each of its strings from `strings` (English ->
    translation), and publish it; return the translated page. A string missing from `strings` is an error naming it.
    """
    source, _ = TranslationSource.get_or_create_from_instance(page)
    translation, _ = Translation.objects.get_or_create(source=source, target_locale=locale)
    missing = []
    for segment in StringSegment.objects.filter(source=source).select_related("string", "context"):
        text = segment.string.data
        if text not in strings:
            missing.append(text)
            continue
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            defaults={"data": strings[text], "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL},
        )
    if missing:
        raise ValueError(f"no {locale.language_code} translation of: " + "; ".join(repr(text) for text in missing))
    # Saved as a draft and published here: wagtail-localize publishes on commit, and the demo loads a whole part in
    # one transaction, so the parent's publish would come after its children were added and undo its child count.
    translation.save_target(publish=False)
    translated = page.get_translation(locale)
    translated.get_latest_revision().publish()
    return translated


def read(name):
    """A part's data file, parsed, with each `{NAME}` replaced by the real site's value."""
    with (CONTENT / f"{name}.toml").open("rb") as file:
        return resolve(tomllib.load(file))


def page_entries(data):
    """The `[[pages]]` of a part's data, each with its `[page_defaults]` and what it `extends` filled in."""
    defaults = data.get("page_defaults", {})
    by_slug = {}
    for entry in data.get("pages", []):
        entry = dict(entry)
        base = by_slug[entry.pop("extends")] if "extends" in entry else defaults
        by_slug[entry["slug"]] = {**base, **entry}
        yield by_slug[entry["slug"]]


def upcoming_dates(upcoming, today):
    """(start, end) of an `upcoming` page: on the first `weekday` at least `days_ahead` days after `today`."""
    day = today + timedelta(days=upcoming["days_ahead"])
    day += timedelta(days=(WEEKDAYS.index(upcoming["weekday"]) - day.weekday()) % 7)
    zone = timezone.get_default_timezone()
    return datetime.combine(day, upcoming["start"], tzinfo=zone), datetime.combine(day, upcoming["end"], tzinfo=zone)


def rich_text_html(value):
    """HTML of a rich text given as data: a paragraph, or a list of paragraphs, `{ h3 = … }` and `{ ul = […] }`."""
    html = []
    for item in [value] if isinstance(value, str | dict) else value:
        if isinstance(item, str):
            html.append(f"<p>{item}</p>")
            continue
        ((tag, content),) = item.items()
        if tag in ("ul", "ol"):
            html.append(f"<{tag}>" + "".join(f"<li>{line}</li>" for line in content) + f"</{tag}>")
        elif tag in ("h2", "h3", "h4"):
            html.append(f"<{tag}>{content}</{tag}>")
        else:
            raise ValueError(f"rich text has paragraphs, h2-h4, ul and ol, not {tag!r}")
    return "".join(html)


def resolve(value):
    """`value` (a part's data) with each string that is exactly `{NAME}` replaced by the site's `SHARED[NAME]`."""
    if isinstance(value, dict):
        return {key: resolve(item) for key, item in value.items()}
    if isinstance(value, list):
        return [resolve(item) for item in value]
    if isinstance(value, str) and (match := _REFERENCE.match(value)):
        if match[1] not in SHARED:
            raise ValueError(f"{value} names no shared value of the site (demo.loader.SHARED: {', '.join(SHARED)})")
        return SHARED[match[1]]
    return value


def page_at(home, path):
    """The page at `path` (slugs below `home`; "" is `home` itself), as its own type, or None."""
    page = Page.objects.get(pk=home.pk)
    for slug in filter(None, path.split("/")):
        page = page.get_children().filter(slug=slug).first()
        if page is None:
            return None
    return page.specific


def _holds(current, expected):
    return not current if expected == "" else current == expected


# How a data file names a row that is not a page, picture or document: by the first of these fields its model has.
NATURAL_KEYS = ("slug", "code", "number")


def _natural(model, value):
    """The row of `model` a data file names by its slug, code or number (an award criterion); None when an editor
    removed it."""
    names = {field.name for field in model._meta.get_fields()}
    key = next(name for name in NATURAL_KEYS if name in names)
    return model.objects.filter(**{key: value}).first()


class Part:
    """One part of the demo: its `data` (as `read` returns it) loaded under `home` into its section (PARTS[name])."""

    def __init__(self, name, data, home, stdout, today):
        self.name, self.data, self.home, self.stdout, self.today = name, data, home, stdout, today

    def load(self):
        section = PARTS[self.name]
        if section is not None:
            section(self.home, self.stdout)
        for fill in self.data.get("fill", []):
            self.fill(fill)
        for insert in self.data.get("insert", []):
            self.insert(insert)
        if "site_settings" in self.data:
            self.fill_site_settings(self.data["site_settings"])
        created = sum(self.add_page(entry) for entry in page_entries(self.data))
        if created:
            self.stdout.write(f"Demo {self.name}: added {created} pages.")
        self.add_records(self.data.get("records", []))
        if "posts" in self.data:
            self.add_posts(self.data["posts"])
        added = sum(self.add_school(entry) for entry in self.data.get("schools", []))
        if added:
            self.stdout.write(f"Demo {self.name}: added {added} schools.")
        if "translations" in self.data:
            self.translate(self.data["translations"])

    # --- Pages ------------------------------------------------------------------------------------------------

    def translate(self, spec):
        """Put `spec["pages"]` (parents first) into every other language of SITE_LOCALES, as an editor would: with
        wagtail-localize's translations where `spec` has that language's strings, else as aliases of the English
        pages (what "sync" makes). The home page goes first as an alias. A page already in a language is kept."""
        for code in settings.SITE_LOCALES:
            locale = Locale.objects.get(language_code=code)
            if locale.pk == self.home.locale_id:
                continue
            if not self.home.has_translation(locale):
                self.home.copy_for_translation(locale, alias=True)
            strings = spec.get(code)
            for path in spec["pages"]:
                page = self.page_at(path)
                if page.has_translation(locale):
                    continue
                if strings is None:
                    page.copy_for_translation(locale, alias=True)
                else:
                    translated = translate_page(page, locale, strings)
                    log(translated, "demo.translation_unchecked")

    def page_at(self, path):
        return page_at(self.home, path)

    def add_page(self, entry):
        """Add the page `entry` describes unless it is there; return how many pages were added (0 or 1)."""
        fields = dict(entry)
        model = apps.get_model(fields.pop("type"))
        parent_path = fields.pop("parent")
        parent = self.page_at(parent_path)
        if parent is None:
            raise ValueError(f"{self.name}.toml: no page at {parent_path!r} for {fields['slug']!r} to go under")
        slug = fields.pop("slug")
        siblings = model.objects.child_of(parent)
        if "upcoming" in fields:
            if siblings.filter(slug__startswith=slug, end__gte=timezone.now()).exists():
                return 0
            fields["start"], fields["end"] = upcoming_dates(fields.pop("upcoming"), self.today)
            slug = f"{slug}-{timezone.localdate(fields['start']):%Y-%m-%d}"
        if parent.get_children().filter(slug=slug).exists():
            return 0
        page = model(slug=slug)
        self.set_fields(page, fields)
        parent.add_child(instance=page)
        page.save_revision().publish()
        return 1

    def fill(self, spec):
        page = self.page_at(spec["page"])
        if page is None or not all(_holds(getattr(page, name), value) for name, value in spec["when"].items()):
            return
        self.set_fields(page, spec["set"])
        page.save_revision().publish()
        if "say" in spec:
            self.stdout.write(spec["say"])

    def insert(self, spec):
        page = self.page_at(spec["page"])
        ((block_type, value),) = spec["block"].items()
        if page is None or any(block.block_type == block_type for block in getattr(page, spec["field"])):
            return
        stream = getattr(page, spec["field"])
        body = [(block.block_type, block.value) for block in stream]
        ((after_type, after_values),) = spec["after"].items()
        position = next(
            (
                index + 1
                for index, (kind, current) in enumerate(body)
                if kind == after_type and all(current.get(key) == item for key, item in after_values.items())
            ),
            len(body),
        )
        body.insert(position, (block_type, self.block_value(stream.stream_block.child_blocks[block_type], value)))
        setattr(page, spec["field"], body)
        page.save_revision().publish()

    # --- Fields -----------------------------------------------------------------------------------------------

    def set_fields(self, instance, values):
        """Set each field named in `values` on `instance`, converting the data to what the field holds."""
        for name, value in values.items():
            field = instance._meta.get_field(name)  # FieldDoesNotExist names the mistake in the data file
            if isinstance(field, ClusterTaggableManager):
                getattr(instance, name).add(*value)
            elif field.one_to_many and field.auto_created:  # inline children: speakers, documents…
                setattr(instance, name, [self.child(field.related_model, item) for item in value])
            elif isinstance(field, ParentalManyToManyField):
                rows = (_natural(field.related_model, item) for item in value)
                setattr(instance, name, [row for row in rows if row is not None])
            elif isinstance(field, StreamField):
                setattr(instance, name, self.stream_value(field.stream_block, value))
            elif isinstance(field, RichTextField):
                setattr(instance, name, rich_text_html(value))
            elif isinstance(field, models.ForeignKey):
                setattr(instance, name, self.related(field.related_model, value))
            elif isinstance(field, models.DateTimeField) and timezone.is_naive(value):
                setattr(instance, name, value.replace(tzinfo=timezone.get_default_timezone()))
            else:
                setattr(instance, name, value)

    def child(self, model, values):
        child = model()
        self.set_fields(child, values)
        return child

    def related(self, model, value):
        if issubclass(model, Page):
            return self.page_at(value)
        if model is get_image_model():
            return self.picture(value)
        if model is get_document_model():
            return self.document(value)
        return _natural(model, value)

    def stream_value(self, stream_block, value):
        stream = []
        for item in value:
            ((block_type, block_value),) = item.items()
            stream.append((block_type, self.block_value(stream_block.child_blocks[block_type], block_value)))
        return stream

    def block_value(self, block, value):
        if isinstance(block, blocks.RichTextBlock):
            return RichText(rich_text_html(value))
        if isinstance(block, blocks.StructBlock):
            return {name: self.block_value(block.child_blocks[name], item) for name, item in value.items()}
        if isinstance(block, blocks.ListBlock):
            return [self.block_value(block.child_block, item) for item in value]
        if isinstance(block, blocks.StreamBlock):
            return self.stream_value(block, value)
        if isinstance(block, ImageChooserBlock):
            return self.picture(value)
        if isinstance(block, DocumentChooserBlock):
            return self.document(value)
        if isinstance(block, blocks.PageChooserBlock):
            return self.page_at(value)
        return value

    # --- Files: made once, found again by title -----------------------------------------------------------------

    def picture(self, key):
        return self._made_once(get_image_model(), self.data["pictures"][key], self._new_picture)

    def document(self, key):
        return self._made_once(get_document_model(), self.data["documents"][key], self._new_document)

    @staticmethod
    def _made_once(model, spec, make):
        """The image or document titled as `spec` says, made by `make(spec)` the first time only."""
        return model.objects.filter(title=spec["title"]).first() or make(spec)

    @staticmethod
    def _new_picture(spec):
        image = get_image_model()(
            title=spec["title"],
            description=illustration_description(spec["drawing"]),
            file=ImageFile(io.BytesIO(make_banner_image(name=spec["drawing"])), name=spec["file"]),
        )
        image.save()
        return image

    @staticmethod
    def _new_document(spec):
        document = get_document_model()(title=spec["title"])
        document.file.save(spec["file"], ContentFile(make_pdf(spec["title"], spec["lines"])), save=False)
        document._set_document_file_metadata()  # size and hash, as an upload in the admin would record
        document.save()
        return document

    # --- Settings and rows ------------------------------------------------------------------------------------

    def fill_site_settings(self, values):
        settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
        empty = {name: value for name, value in values.items() if not getattr(settings, name)}
        if empty:
            self.set_fields(settings, empty)
            settings.save()

    def add_records(self, records):
        models_with_rows = {record["model"] for record in records if apps.get_model(record["model"]).objects.exists()}
        for record in records:
            if record["model"] not in models_with_rows:
                fields = dict(record)
                row = apps.get_model(fields.pop("model"))()
                self.set_fields(row, fields)
                row.save()

    def add_posts(self, spec):
        board = self.page_at(spec["board"])
        sections = {section.slug: section for section in board.sections.all()}
        items = spec["items"]
        if not board.posts.exists() and {item["section"] for item in items} <= set(sections):
            for item in items:
                self.add_post(board, sections, item)
            approved = sum(item["status"] == BoardPost.Status.APPROVED for item in items)
            self.stdout.write(f"Added {approved} approved and {len(items) - approved} pending board posts.")
        if board.posting_mode == BoardPage.PostingMode.CODE and board.posting_code:
            self.stdout.write(f"Board posting code: {board.posting_code}  (post at {board.url}post/)")

    def add_post(self, board, sections, item):
        """A post as a school's arrives: its photo through the posting form's checks, its own secret token."""
        fields = dict(item)
        section = sections[fields.pop("section")]
        drawing = fields.pop("image", None)
        image = None
        if drawing:
            photo = ContentFile(make_banner_image(*POST_PHOTO_SIZE, name=drawing), name="demo.jpg")
            image = board_services.store_image(clean_uploaded_image(photo), fields["title"], fields["image_alt"])
        approved_at = timezone.now() if fields["status"] == BoardPost.Status.APPROVED else None
        post = BoardPost(
            board=board,
            section=section,
            image=image,
            author_token_hash=hash_token(new_token()),
            approved_at=approved_at,
        )
        self.set_fields(post, fields)
        post.save()
        return post

    # --- Schools: records moved along the award journey -------------------------------------------------------

    def add_school(self, entry):
        """Add the school `entry` describes unless one has its name, then make its moves on the journey (each
        `days_ago` before the day the loader runs); return how many schools were added (0 or 1)."""
        fields = dict(entry)
        moves = fields.pop("journey", [])
        evidence = fields.pop("evidence", [])
        progress = fields.pop("progress", [])
        if School.objects.filter(name=fields["name"]).exists():
            return 0
        school = School()
        self.set_fields(school, fields)
        school.full_clean()
        school.save()
        for move in moves:
            school.move_to(
                move["to"],
                on=self.today - timedelta(days=move["days_ago"]),
                note=move.get("note", ""),
                appraisal_panel=move.get("panel", ""),
            )
        self.fill_workspace(school, evidence, progress)
        return 1

    def fill_workspace(self, school, evidence, progress):
        """The school's award workspace as its first lead filled it, and where EMAS's reviews left it."""
        lead = school.contacts.first()
        for item in evidence:
            item = dict(item)
            criterion = AwardCriterion.objects.get(number=item.pop("criterion"))
            done_on = self.today - timedelta(days=item.pop("days_ago"))
            title = item.pop("file", "")
            files = []
            if title:
                lines = [f"{school.name}: {title}", "A made-up document in the demo."]
                files.append((f"{slugify(title)}.pdf", CleanedFile(make_pdf(title, lines), "pdf", "application/pdf")))
            item.setdefault("who_took_part", "")
            item.setdefault("impact", "")
            item.setdefault("link", "")
            workspace.add_evidence(school, criterion, lead, {"done_on": done_on, **item}, files)
        for item in progress:
            criterion = AwardCriterion.objects.get(number=item["criterion"])
            workspace.mark_ready(school, criterion, lead)
            if item["status"] != "ready":
                workspace.review(school, criterion, None, item["status"], item.get("comment", ""), notify=False)
