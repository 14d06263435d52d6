"""The image pipeline: every uploaded picture of the site goes through it.

One pipeline for `Article.image`, `Event.image`, `Organisation.logo` and
`Person.photo` (each model lists its fields in `IMAGE_FIELDS`):

1. **On the editor's request, cheap checks only** (`validate_image_file`,
   used by the admin's upload field): byte size, the real format read from
   the header (JPEG, PNG or WebP; a GIF, an SVG or a script is refused), the
   pixel count from the header, and a quick integrity check (a JPEG decoded
   at 1/8 scale, a PNG's chunk checksums). Nothing is decoded in full.
2. **On save** (`ProcessedImagesMixin.save`), the upload is not put in the
   field: the field keeps the previous clean picture (or stays empty) and
   `<field>_processing` says « en cours de traitement ». The upload's bytes
   are written to storage **after commit** only, under a random name in an
   `incoming/` folder, and the task `articles.tasks.process_image` is
   enqueued: a save that fails leaves no file behind.
3. **Off the request, in the task queue** (`process_pending_image`): the
   picture is decoded within a memory and time budget (`Image.thumbnail`
   uses the JPEG decoder's `draft` scaling and `reduce` before resampling,
   so a 40-megapixel JPEG is never held at full size; the served original
   is capped at `spec.max_edge` pixels), turned upright from its EXIF
   orientation, and re-encoded with no metadata at all (EXIF, GPS, XMP,
   ICC, comments: nothing from the upload's `info` is carried over), then
   renditions are made at the standard widths (WebP plus JPEG, or PNG for
   logos, which need transparency). Every file gets a random name. Only
   then does the field point to the clean picture, in one UPDATE that
   checks the upload is still the one waiting (a newer upload wins); the
   previous picture's files and the raw upload are deleted.

Files are read and written only through Django's storage API (`open`,
`save`, `delete`, `url` of the field's storage), never through local paths,
so that the media can move to object storage.
"""

import io
import logging
import uuid
import warnings
from dataclasses import dataclass
from functools import partial

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from newsroom import cache as page_cache

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
ACCEPT = "image/jpeg,image/png,image/webp"
RENDITION_WIDTHS = (480, 800, 1200, 1600)
JPEG_QUALITY = 82
WEBP_QUALITY = 80
# zlib level 6 without `optimize`: `optimize=True` tries every filter and
# level and took most of the 26 s a 40-megapixel PNG used to cost.
PNG_COMPRESS_LEVEL = 6

# Pillow refuses to open anything over twice this (DecompressionBombError)
# whatever path reads it; the header check refuses anything over it.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


class ImageState:
    PROCESSING = "processing"
    FAILED = "failed"


@dataclass(frozen=True)
class ImageSpec:
    """How one image field is processed."""

    folder: str
    widths: tuple = RENDITION_WIDTHS
    # The served original is at most this many pixels on its long side.
    max_edge: int = 2560
    # Besides WebP, the format of the renditions for older browsers.
    fallback_format: str = "JPEG"

    def renditions_field(self, field_name):
        return f"{field_name}_renditions"

    def processing_field(self, field_name):
        return f"{field_name}_processing"


MESSAGES = {
    "too_big": _("La photo pèse %(size)s Mo : 10 Mo au plus, merci de la réduire."),
    "not_image": _("Ce fichier n'est pas une image lisible. Envoyez une photo JPEG, PNG ou WebP."),
    "format": _("Le format %(format)s n'est pas accepté. Envoyez une photo JPEG, PNG ou WebP."),
    "too_many_pixels": _(
        "La photo mesure %(width)s × %(height)s pixels (%(megapixels)s mégapixels) : "
        "40 mégapixels au plus, merci de la réduire."
    ),
    "broken": _("Cette image est endommagée ou incomplète. Enregistrez-la à nouveau et renvoyez-la."),
}
LOST_MESSAGE = _("le fichier envoyé n'a pas été retrouvé, envoyez-le à nouveau.")
FAILED_MESSAGE = _("La dernière image envoyée n'a pas pu être traitée : %(reason)s")


class ImageRefused(Exception):
    """The picture cannot be processed; `message` says why, in French."""

    def __init__(self, message, code):
        super().__init__(str(message))
        self.message = message
        self.code = code


def validate_image_file(upload):
    """Check an uploaded file on the editor's request, without a full decode.

    In order: the byte size, the header (a real image in an accepted format),
    the pixel count read from the header, then a quick integrity check.
    Raises `ValidationError` with a French message.
    """
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            MESSAGES["too_big"],
            code="too_big",
            params={"size": f"{size / 1024 / 1024:.1f}".replace(".", ",")},
        )
    try:
        _check_header(_rewound(upload))
        _check_integrity(_rewound(upload))
    except ImageRefused as refusal:
        raise ValidationError(refusal.message, code=refusal.code) from None
    finally:
        _rewound(upload)


def _check_header(file):
    """The format and the size, from the header only; returns the format."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                image_format, (width, height) = image.format, image.size
    except Image.DecompressionBombError:
        raise ImageRefused(
            _("La photo est bien trop grande : 40 mégapixels au plus, merci de la réduire."),
            "too_many_pixels",
        ) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise ImageRefused(MESSAGES["not_image"], "not_image") from None
    if image_format not in ALLOWED_FORMATS:
        raise ImageRefused(MESSAGES["format"] % {"format": image_format}, "format")
    if width * height > MAX_PIXELS:
        raise ImageRefused(
            MESSAGES["too_many_pixels"]
            % {
                "width": width,
                "height": height,
                "megapixels": f"{width * height / 1_000_000:.1f}".replace(".", ","),
            },
            "too_many_pixels",
        )
    return image_format


def _check_integrity(file):
    """A truncated or corrupt file, found cheaply: a JPEG is decoded at 1/8
    scale (`draft`), a PNG's chunks are read and their checksums checked
    without decompressing (`verify`). A WebP is left to the task."""
    try:
        with Image.open(file) as image:
            if image.format == "JPEG":
                image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))
                image.load()
            elif image.format == "PNG":
                image.verify()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise ImageRefused(MESSAGES["broken"], "broken") from None


# --- Rendering: pure functions, no storage, no database (the benchmark calls them) ---------------


@dataclass
class Rendered:
    """A clean picture and its renditions, as encoded bytes."""

    extension: str
    width: int
    height: int
    original: bytes
    renditions: list  # (width, height, format name, extension, bytes)


def render_image(file, spec):
    """Decode `file` within budget and encode the clean original and its
    renditions. Raises `ImageRefused` for anything that is not an accepted,
    sane picture."""
    image_format = _check_header(_rewound(file))
    try:
        with Image.open(_rewound(file)) as source:
            # A JPEG is scaled down by its decoder (1/2, 1/4 or 1/8, keeping at
            # least the target size): a 40-megapixel photo is never held at
            # full size. Then, in place, `reduce` and a final Lanczos pass.
            source.draft(None, _fit(source.size, spec.max_edge))
            source.thumbnail((spec.max_edge, spec.max_edge), Image.Resampling.LANCZOS, reducing_gap=2.0)
            image = _clean_pixels(ImageOps.exif_transpose(source), image_format)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise ImageRefused(MESSAGES["broken"], "broken") from None
    renditions = []
    widths = [width for width in spec.widths if width <= image.width] or [image.width]
    for format_name in ("WEBP", spec.fallback_format):
        for width in widths:
            height = max(1, round(image.height * width / image.width))
            resized = (
                image if width == image.width else image.resize((width, height), Image.Resampling.LANCZOS)
            )
            renditions.append(
                (width, height, format_name, EXTENSIONS[format_name], _encode(resized, format_name))
            )
    return Rendered(
        extension=EXTENSIONS[image_format],
        width=image.width,
        height=image.height,
        original=_encode(image, image_format),
        renditions=renditions,
    )


def _fit(size, max_edge):
    """`size` scaled down to fit a `max_edge` square (never up)."""
    width, height = size
    ratio = min(1, max_edge / max(width, height))
    return max(1, round(width * ratio)), max(1, round(height * ratio))


def _clean_pixels(image, image_format):
    """Pixels only, in a mode every encoder takes: nothing of the upload's
    `info` (EXIF, GPS, XMP, ICC profile, text chunks, JPEG comments) is kept,
    since the encoders would write some of it back."""
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        has_alpha = "A" in image.getbands() or "transparency" in image.info
        image = image.convert("RGBA" if has_alpha else "RGB")
    if image_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    image.info = {}
    return image


def _encode(image, format_name):
    buffer = io.BytesIO()
    if format_name == "JPEG":
        if image.mode not in ("RGB", "L"):
            background = Image.new("RGB", image.size, "white")
            background.paste(image, mask=image.getchannel("A") if "A" in image.getbands() else None)
            image = background
        image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    elif format_name == "WEBP":
        image.save(buffer, "WEBP", quality=WEBP_QUALITY, method=4)
    else:
        image.save(buffer, "PNG", compress_level=PNG_COMPRESS_LEVEL)
    return buffer.getvalue()


# --- The models' side --------------------------------------------------------------------------


def renditions_field(verbose_name):
    """`<field>_renditions`: the list of renditions (width, height, format, name)."""
    return models.JSONField(verbose_name, default=list, blank=True, editable=False)


def processing_field(verbose_name):
    """`<field>_processing`: {} when idle, the waiting upload while the
    task works, or the French reason the last upload was refused."""
    return models.JSONField(
        verbose_name,
        default=dict,
        blank=True,
        editable=False,
        help_text=_("L'image envoyée qui attend d'être traitée, ou la raison de son refus."),
    )


class ProcessedImagesMixin:
    """For a model with image fields processed by the pipeline.

    `IMAGE_FIELDS = {"image": ImageSpec(folder="articles")}`; each field
    needs `<field>_renditions` (JSON list) and `<field>_processing` (JSON
    dict) beside it, and `<field>_width`/`<field>_height` when the model has
    them. Put the mixin before `models.Model` in the bases.
    """

    IMAGE_FIELDS = {}

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._remember_stored_images()
        return instance

    def _remember_stored_images(self):
        """What the database holds for each image field (name, renditions),
        so that `save()` knows, without a query, which files a removal frees."""
        self._stored_images = {}
        for name, spec in self.IMAGE_FIELDS.items():
            raw = self.__dict__.get(name)
            if raw is None:
                continue  # deferred field: not loaded, not changed
            self._stored_images[name] = {
                name: getattr(raw, "name", raw) or "",
                spec.renditions_field(name): list(self.__dict__.get(spec.renditions_field(name)) or []),
            }

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        self._remember_stored_images()

    refresh_from_db.alters_data = True

    def save(self, *args, **kwargs):
        staged = [change for name in self.IMAGE_FIELDS if (change := _stage(self, name))]
        if staged and kwargs.get("update_fields") is not None:
            extra = {field for change in staged for field in change["fields"]}
            kwargs["update_fields"] = {*kwargs["update_fields"], *extra}
        super().save(*args, **kwargs)
        self._remember_stored_images()
        for change in staged:
            # robust: a storage outage after commit is logged (and mailed to
            # ADMINS), the row stays « en cours de traitement » for
            # `process_images`; the editor's save itself has succeeded.
            transaction.on_commit(partial(_after_commit, self._meta.label, self.pk, change), robust=True)

    save.alters_data = True

    def delete(self, *args, **kwargs):
        names = [name for field in self.IMAGE_FIELDS for name in _file_names(self, field)]
        result = super().delete(*args, **kwargs)
        transaction.on_commit(partial(_delete_files, names))
        return result

    delete.alters_data = True

    def image_is_processing(self, field_name="image"):
        return (getattr(self, f"{field_name}_processing") or {}).get("state") == ImageState.PROCESSING

    def image_error(self, field_name="image"):
        """The French reason the last upload was refused by the task, or ""."""
        processing = getattr(self, f"{field_name}_processing") or {}
        return processing.get("error", "") if processing.get("state") == ImageState.FAILED else ""


def _stage(instance, field_name):
    """Before the row is written: take a new upload out of the field (which
    keeps its stored picture) into the processing state, or note a removed
    picture. Returns what to do after commit, or None."""
    spec = instance.IMAGE_FIELDS[field_name]
    fieldfile = getattr(instance, field_name)
    processing_field = spec.processing_field(field_name)
    stored = getattr(instance, "_stored_images", {}).get(field_name, {})
    if fieldfile and not fieldfile._committed:
        # Kept in memory (10 MB at most, checked by the form) until the commit:
        # an upload's temporary file may be closed by then.
        content = ContentFile(_rewound(fieldfile.file).read())
        upload_name = f"{spec.folder}/incoming/{uuid.uuid4().hex}.{_extension_of(content)}"
        setattr(instance, field_name, stored.get(field_name, ""))
        setattr(instance, processing_field, {"state": ImageState.PROCESSING, "upload": upload_name})
        return {
            "action": "store",
            "field": field_name,
            "upload": upload_name,
            "content": content,
            "fields": {field_name, processing_field},
        }
    if not fieldfile and stored.get(field_name):
        renditions_field = spec.renditions_field(field_name)
        setattr(instance, renditions_field, [])
        setattr(instance, processing_field, {})
        _set_size(instance, field_name, None, None)
        return {
            "action": "delete",
            "field": field_name,
            "files": _file_names_from(stored, field_name, spec),
            "fields": {field_name, renditions_field, processing_field, *_size_fields(instance, field_name)},
        }
    return None


def _after_commit(label, pk, change):
    if change["action"] == "delete":
        _delete_files(change["files"])
        return
    from articles.tasks import process_image

    storage = _storage(label, change["field"])
    content = change["content"]
    content.seek(0)
    stored_name = storage.save(change["upload"], content)
    process_image.enqueue(label=label, pk=pk, field_name=change["field"], upload=stored_name)


def process_pending_image(*, label, pk, field_name, upload):
    """The task's work: turn the waiting upload into the clean picture and
    its renditions (see the module docstring). Returns "done", "failed" or
    "superseded" (the row no longer waits for this upload)."""
    model = apps.get_model(label)
    spec = model.IMAGE_FIELDS[field_name]
    storage = model._meta.get_field(field_name).storage
    processing_field = spec.processing_field(field_name)
    waiting = model.objects.filter(pk=pk, **{f"{processing_field}__upload": upload})
    if not waiting.exists():
        storage.delete(upload)
        return "superseded"
    try:
        try:
            file = storage.open(upload, "rb")
        except FileNotFoundError:
            raise ImageRefused(LOST_MESSAGE, "lost") from None
        with file:
            rendered = render_image(file, spec)
    except ImageRefused as refusal:
        error = str(FAILED_MESSAGE % {"reason": refusal.message})
        waiting.update(**{processing_field: {"state": ImageState.FAILED, "error": error}})
        storage.delete(upload)
        logger.warning("Image %s of %s %s refused: %s", field_name, label, pk, refusal)
        return "failed"
    previous = model.objects.filter(pk=pk).values(field_name, spec.renditions_field(field_name)).first()
    written = _write(storage, spec, rendered)
    changes = {
        field_name: written["original"],
        spec.renditions_field(field_name): written["renditions"],
        processing_field: {},
        **_size_values(model, field_name, rendered.width, rendered.height),
    }
    if any(field.name == "updated_at" for field in model._meta.fields):
        changes["updated_at"] = timezone.now()  # the page shows a new picture: caches must see a change
    if not waiting.update(**changes):
        _delete_files([written["original"], *(r["name"] for r in written["renditions"])], storage=storage)
        storage.delete(upload)
        return "superseded"
    storage.delete(upload)
    page_cache.picture_changed(label, pk)
    if previous:
        _delete_files(_file_names_from(previous, field_name, spec), storage=storage)
    return "done"


def _write(storage, spec, rendered):
    """Write the clean original and the renditions under one random stem;
    on any failure, delete what was written and re-raise."""
    stem = f"{spec.folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"
    written = []
    try:
        original = storage.save(f"{stem}.{rendered.extension}", ContentFile(rendered.original))
        written.append(original)
        renditions = []
        for width, height, format_name, extension, data in rendered.renditions:
            name = storage.save(f"{stem}-{width}w.{extension}", ContentFile(data))
            written.append(name)
            renditions.append(
                {"width": width, "height": height, "format": _format_key(format_name), "name": name}
            )
    except Exception:
        _delete_files(written, storage=storage)
        raise
    return {"original": original, "renditions": renditions}


def _format_key(format_name):
    return {"JPEG": "jpeg", "WEBP": "webp", "PNG": "png"}[format_name]


def _file_names(instance, field_name):
    spec = instance.IMAGE_FIELDS[field_name]
    renditions_field = spec.renditions_field(field_name)
    values = {
        field_name: getattr(instance, field_name).name,
        renditions_field: getattr(instance, renditions_field),
    }
    return _file_names_from(values, field_name, spec)


def _file_names_from(values, field_name, spec):
    names = [values.get(field_name) or ""]
    names += [rendition.get("name", "") for rendition in values.get(spec.renditions_field(field_name)) or []]
    return [name for name in names if name]


def _size_fields(instance_or_model, field_name):
    names = {field.name for field in instance_or_model._meta.fields}
    return [name for name in (f"{field_name}_width", f"{field_name}_height") if name in names]


def _size_values(model, field_name, width, height):
    return dict(zip(_size_fields(model, field_name), (width, height), strict=False))


def _set_size(instance, field_name, width, height):
    for name, value in _size_values(instance, field_name, width, height).items():
        setattr(instance, name, value)


def _extension_of(content):
    try:
        with Image.open(_rewound(content)) as image:
            return EXTENSIONS.get(image.format, "bin")
    except Exception:  # noqa: BLE001 (anything unreadable: the task refuses it)
        return "bin"
    finally:
        _rewound(content)


def _storage(label, field_name):
    return apps.get_model(label)._meta.get_field(field_name).storage


def _delete_files(names, *, storage=None):
    storage = storage or default_storage
    for name in names:
        if name:
            storage.delete(name)


def rendition_url(rendition):
    """The address of one rendition, asked of the storage from its file name:
    moving the media to another host or CDN (`MEDIA_URL`) needs no change to
    the stored renditions."""
    return default_storage.url(rendition["name"])


def admin_preview(instance, field_name="image", *, css_class, max_width, alt=""):
    """For the admin: the picture (its rendition nearest `max_width`), and
    what the pipeline is doing with a new upload: « en cours de traitement »
    or the French reason it was refused."""
    from django.utils.html import format_html, format_html_join

    parts = []
    fieldfile = getattr(instance, field_name)
    if fieldfile:
        renditions = getattr(instance, f"{field_name}_renditions") or []
        fallback = [r for r in renditions if r.get("format") != "webp" and r["width"] <= max_width]
        chosen = min(fallback, key=lambda r: abs(r["width"] - max_width), default=None)
        url = rendition_url(chosen) if chosen else fieldfile.url
        parts.append(format_html('<img src="{}" alt="{}" class="{}">', url, alt, css_class))
    if instance.image_is_processing(field_name):
        parts.append(
            format_html(
                '<span class="image-processing">{}</span>',
                _("Nouvelle image en cours de traitement : elle paraîtra d'ici quelques instants."),
            )
        )
    elif error := instance.image_error(field_name):
        parts.append(format_html('<span class="image-failed errornote">{}</span>', error))
    return format_html_join(" ", "{}", ((part,) for part in parts))


def _rewound(file):
    file.seek(0)
    return file
