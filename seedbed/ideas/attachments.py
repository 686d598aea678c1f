"""Storing and serving idea attachments.

Files live under ``settings.MEDIA_ROOT`` (outside the web root, no MEDIA_URL), named by a random
token, never by the uploader's file name. Only ``download_response`` hands them out, and only
after the caller has asked ``selectors.get_idea_for_user`` whether the person may see the idea.
The type is decided from the content (``seedbed.lib.filetypes``), and the stored content type is
the one we detected, not the one the browser claimed.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import unicodedata

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse

from seedbed.ideas.models import Attachment, Idea
from seedbed.lib import filetypes


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def clean_name(name: str) -> str:
    """The uploader's file name, safe to show and to offer back: the last path part only,
    without control characters, at most 200 characters (keeping the extension)."""
    name = os.path.basename((name or "").replace("\\", "/"))
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 190] + dot + ext[:9]) if dot and len(ext) < 10 else name[:200]
    return name or "file"


def check_upload(upload: UploadedFile) -> str:
    """The content type of an acceptable upload; a ValueError with a plain message otherwise
    (too large, empty, or not an allowed kind of file)."""
    limit = settings.ATTACHMENT_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise ValueError(f"This file is {_megabytes(upload.size or 0)}; files may be at most "
                         f"{_megabytes(limit)}.")
    if upload.size == 0:
        raise ValueError("This file is empty.")
    stream = upload.file if hasattr(upload, "file") else upload
    return filetypes.sniff(stream, clean_name(upload.name)).content_type


def store(idea: Idea, upload: UploadedFile, *, uploaded_by, content_type: str,
          field_key: str = "") -> Attachment:
    """Write the file under a new random name and create its row. Call it last in the action,
    after every check, so that a refused request stores nothing."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment = Attachment(idea=idea, field_key=field_key, token=secrets.token_urlsafe(24),
                            original_name=clean_name(upload.name), content_type=content_type,
                            size=upload.size, sha256=digest.hexdigest(), uploaded_by=uploaded_by)
    attachment.file.save(attachment.token, upload, save=False)
    attachment.save()
    return attachment


def download_response(attachment: Attachment) -> FileResponse:
    response = FileResponse(attachment.file.open("rb"), as_attachment=True,
                            filename=attachment.original_name,
                            content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    # Opened in a browser tab anyway, the file may run nothing and load nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
