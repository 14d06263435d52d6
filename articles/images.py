"""Article photos: upload checks, metadata stripping and responsive renditions.

Everything heavy happens once, when an editor saves a new photo
(`Article.save()` calls `process_new_image`); a reader's request only reads
the stored renditions.
"""

import io
import os
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
ACCEPT = "image/jpeg,image/png,image/webp"
RENDITION_WIDTHS = (480, 800, 1200, 1600)
JPEG_QUALITY = 82
WEBP_QUALITY = 80

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


def validate_image_file(upload):
    """Check an uploaded file before anything decodes it.

    In order: the byte size, the header (a real image in an accepted format),
    the pixel count read from the header, and only then a full decode.
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
        with warnings.catch_warnings():
            # Our own pixel cap below is stricter than Pillow's bomb warning.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(_rewound(upload)) as image:
                image_format = image.format
                width, height = image.size
    except Image.DecompressionBombError:
        raise ValidationError(
            _("La photo est bien trop grande : 40 mégapixels au plus, merci de la réduire."),
            code="too_many_pixels",
        ) from None
    except (UnidentifiedImageError, OSError, ValueError):
        raise ValidationError(MESSAGES["not_image"], code="not_image") from None
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError(MESSAGES["format"], code="format", params={"format": image_format})
    if width * height > MAX_PIXELS:
        raise ValidationError(
            MESSAGES["too_many_pixels"],
            code="too_many_pixels",
            params={
                "width": width,
                "height": height,
                "megapixels": f"{width * height / 1_000_000:.1f}".replace(".", ","),
            },
        )
    try:
        with Image.open(_rewound(upload)) as image:
            image.load()
    except (OSError, ValueError, SyntaxError):
        raise ValidationError(MESSAGES["broken"], code="broken") from None
    _rewound(upload)


def process_new_image(fieldfile):
    """Store a clean original and its renditions for a newly assigned photo.

    Side effects: replaces the uploaded bytes with a re-encoded image, turned
    upright according to its EXIF orientation and without any metadata (EXIF,
    GPS, XMP, comments); writes the original and every rendition to the
    default storage. Returns `(width, height, renditions)` where renditions is
    the list stored in `Article.image_renditions`.
    """
    with Image.open(_rewound(fieldfile)) as source:
        image_format = source.format if source.format in ALLOWED_FORMATS else "JPEG"
        image = ImageOps.exif_transpose(source)
        image = _without_metadata(image, image_format)
    stem, _extension = os.path.splitext(os.path.basename(fieldfile.name))
    name = f"{stem}.{EXTENSIONS[image_format]}"
    fieldfile.save(name, ContentFile(_encode(image, image_format)), save=False)
    return image.width, image.height, make_renditions(image, base_name=fieldfile.name)


def rendition_url(rendition):
    """The address of one rendition, asked of the storage from its file name:
    moving the media to another host or CDN (`MEDIA_URL`) needs no change to
    the stored renditions."""
    return default_storage.url(rendition["name"])


def make_renditions(image, *, base_name):
    """Write WebP and JPEG copies at the standard widths not above the
    original's (a photo narrower than 480 pixels gets one copy at its own
    width). Returns a list of dicts: width, height, format, name (the
    storage's file name; the address is asked of the storage when a page is
    rendered)."""
    widths = [width for width in RENDITION_WIDTHS if width <= image.width] or [image.width]
    stem, _extension = os.path.splitext(base_name)
    renditions = []
    for image_format, extension in (("WEBP", "webp"), ("JPEG", "jpg")):
        for width in widths:
            height = max(1, round(image.height * width / image.width))
            resized = (
                image if width == image.width else image.resize((width, height), Image.Resampling.LANCZOS)
            )
            name = default_storage.save(
                f"{stem}-{width}w.{extension}", ContentFile(_encode(resized, image_format))
            )
            renditions.append(
                {
                    "width": width,
                    "height": height,
                    "format": extension if extension == "webp" else "jpeg",
                    "name": name,
                }
            )
    return renditions


def delete_renditions(renditions):
    """Remove rendition files from storage (when a photo is replaced or removed)."""
    for rendition in renditions or []:
        name = rendition.get("name")
        if name:
            default_storage.delete(name)


def _rewound(file):
    file.seek(0)
    return file


def _without_metadata(image, image_format):
    """A copy holding pixels only: nothing from `image.info` (EXIF, GPS, ICC,
    XMP, text chunks) is carried over."""
    if image_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    elif image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA" if "A" in image.getbands() or "transparency" in image.info else "RGB")
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    return clean


def _encode(image, image_format):
    buffer = io.BytesIO()
    if image_format == "JPEG":
        if image.mode not in ("RGB", "L"):
            background = Image.new("RGB", image.size, "white")
            background.paste(image, mask=image.getchannel("A") if "A" in image.getbands() else None)
            image = background
        image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    elif image_format == "WEBP":
        image.save(buffer, "WEBP", quality=WEBP_QUALITY, method=4)
    else:
        image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()
