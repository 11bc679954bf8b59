"""Product images: checked, resized with Pillow to two WebP sizes and kept in the core storage.

``Product.image_path`` holds the image's version, 32 hex digits; the two files are stored under
``orders_thumb/<version>`` and ``orders_large/<version>``. A new upload gets a new version, so
image URLs can be cached for a year (immutable) and change when the image does.

::

    old = set_image(product, data)   # raises ImageRefused with a message for the user
    session.commit()
    discard(old)                      # the files of the replaced image
"""

from __future__ import annotations

import io
import secrets
import warnings

from flask import Response, abort, request
from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from portal.core.storage import get_storage, human_size

SIZES = {"thumb": 96, "large": 480}
"""Square edge in pixels of each stored size (the image is fitted and padded with white)."""
AREAS = {"thumb": "orders_thumb", "large": "orders_large"}
FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
"""Formats accepted on upload (Pillow's names)."""
CONTENT_TYPES = ("image/jpeg", "image/png", "image/webp", "image/gif")
MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
CACHE_CONTROL = "private, max-age=31536000, immutable"


class ImageRefused(ValueError):
    """The upload is not a usable image; the message says why, for the user."""


def resize(data: bytes) -> dict[str, bytes]:
    """The WebP bytes of every size in :data:`SIZES`, or :class:`ImageRefused`."""
    if not data:
        raise ImageRefused(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise ImageRefused(_("The image is larger than the limit of %(limit)s.",
                             limit=human_size(MAX_BYTES)))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in FORMATS:
                raise ImageRefused(_("Images of this format (%(format)s) are not accepted. "
                                     "Accepted formats: JPEG, PNG, WebP, GIF.",
                                     format=image.format or "?"))
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ImageRefused(_("The image has too many pixels (%(width)d × %(height)d); "
                                     "the limit is %(limit)d megapixels.", width=width,
                                     height=height, limit=MAX_PIXELS // 1_000_000))
            image = ImageOps.exif_transpose(image)
            image.load()
    except ImageRefused:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError,
            Image.DecompressionBombWarning, OSError, ValueError, SyntaxError) as exc:
        raise ImageRefused(_("The file is not an image that can be read.")) from exc
    return {size: _webp(image, edge) for size, edge in SIZES.items()}


def _webp(image: Image.Image, edge: int) -> bytes:
    rgba = image.convert("RGBA")
    canvas = Image.new("RGBA", rgba.size, "white")
    canvas.alpha_composite(rgba)
    square = ImageOps.pad(canvas.convert("RGB"), (edge, edge), method=Image.Resampling.LANCZOS,
                          color="white")
    out = io.BytesIO()
    square.save(out, "WEBP", quality=80, method=2)
    return out.getvalue()


def key(size: str, version: str) -> str:
    return f"{AREAS[size]}/{version}"


def set_image(product, data: bytes) -> str | None:
    """Resize ``data``, store it and point ``product`` at it; return the replaced version.

    Nothing is stored when the image is refused. Call :func:`discard` with the returned version
    after the transaction commits.
    """
    files = resize(data)
    version = secrets.token_hex(16)
    storage = get_storage()
    for size, body in files.items():
        storage.write(key(size, version), io.BytesIO(body), len(body))
    old, product.image_path = product.image_path, version
    return old


def remove_image(product) -> str | None:
    """Take the image off ``product``; return its version for :func:`discard` after commit."""
    old, product.image_path = product.image_path, None
    return old


def discard(version: str | None) -> None:
    """Delete the stored files of an image version (nothing when None)."""
    if not has_image(version):
        return
    storage = get_storage()
    for size in SIZES:
        storage.delete(key(size, version))


def has_image(version: str | None) -> bool:
    return bool(version) and len(version) == 32 and all(c in "0123456789abcdef" for c in version)


def send_image(version: str | None, size: str, wanted: str) -> Response:
    """The stored WebP of ``size`` when ``wanted`` is the current ``version`` (else 404), with
    long-lived private caching and an ETag (304 when the browser has it)."""
    if size not in SIZES or not has_image(version) or wanted != version:
        abort(404)
    etag = f"{version}-{size}"
    if request.if_none_match.contains(etag):
        response = Response(status=304)
    else:
        handle = get_storage().open(key(size, version))
        if handle is None:
            abort(404)
        with handle:
            response = Response(handle.read(), mimetype="image/webp")
    response.set_etag(etag)
    response.headers["Cache-Control"] = CACHE_CONTROL
    return response
