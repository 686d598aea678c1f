"""What kind of file an upload really is, judged by its first bytes (not by its name).

Seedbed accepts a short allow-list of document and image formats for idea attachments. The
uploader's file name and the browser's Content-Type are both under the uploader's control, so
the type is read from the content: a file's signature ("magic bytes"), and for the ZIP-based
office formats the names inside the archive. No third-party library: the list is short and the
signatures are stable, published facts of each format.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from typing import BinaryIO

# How much of a plain-text file is decoded to decide that it is text.
_TEXT_SAMPLE = 64 * 1024


@dataclass(frozen=True)
class FileKind:
    content_type: str
    label: str
    extensions: tuple[str, ...]


PDF = FileKind("application/pdf", "PDF", (".pdf",))
PNG = FileKind("image/png", "PNG image", (".png",))
JPEG = FileKind("image/jpeg", "JPEG image", (".jpg", ".jpeg"))
GIF = FileKind("image/gif", "GIF image", (".gif",))
WEBP = FileKind("image/webp", "WebP image", (".webp",))
TEXT = FileKind("text/plain", "plain text", (".txt", ".md", ".text"))
CSV = FileKind("text/csv", "CSV", (".csv",))
DOCX = FileKind("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "Word document", (".docx",))
XLSX = FileKind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "Excel workbook", (".xlsx",))
PPTX = FileKind("application/vnd.openxmlformats-officedocument.presentationml.presentation",
                "PowerPoint presentation", (".pptx",))
ODT = FileKind("application/vnd.oasis.opendocument.text", "OpenDocument text", (".odt",))
ODS = FileKind("application/vnd.oasis.opendocument.spreadsheet", "OpenDocument spreadsheet",
               (".ods",))
ODP = FileKind("application/vnd.oasis.opendocument.presentation", "OpenDocument presentation",
               (".odp",))

ALLOWED: tuple[FileKind, ...] = (PDF, PNG, JPEG, GIF, WEBP, TEXT, CSV, DOCX, XLSX, PPTX, ODT,
                                 ODS, ODP)
ALLOWED_LABEL = "PDF, PNG, JPEG, GIF, WebP, plain text, CSV, Word, Excel, PowerPoint or " \
                "OpenDocument"

_ODF = {kind.content_type: kind for kind in (ODT, ODS, ODP)}
# An OOXML package names its main part under one of these folders.
_OOXML = (("word/", DOCX), ("xl/", XLSX), ("ppt/", PPTX))


class NotAllowed(ValueError):
    """The file is not of an allowed kind (the message says so in plain words)."""


def _extension(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


def _zip_kind(stream: BinaryIO) -> FileKind | None:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = archive.namelist()
            if names and names[0] == "mimetype":
                # ODF stores its media type, uncompressed, as the archive's first member.
                info = archive.getinfo("mimetype")
                if info.file_size <= 100:
                    media_type = archive.read("mimetype").decode("ascii", "replace").strip()
                    return _ODF.get(media_type)
                return None
            if "[Content_Types].xml" in names:
                for folder, kind in _OOXML:
                    if any(name.startswith(folder) for name in names):
                        return kind
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, RuntimeError,
            NotImplementedError):
        return None
    return None


def _is_text(stream: BinaryIO) -> bool:
    sample = stream.read(_TEXT_SAMPLE)
    if b"\x00" in sample:
        return False
    if sample.startswith(b"\xef\xbb\xbf"):
        sample = sample[3:]
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        # The sample may end inside a multi-byte character; only that is forgiven.
        if exc.start < len(sample) - 3:
            return False
    # Control characters other than tab, newlines and form feed mean it is not a text file.
    return not any(byte < 32 and byte not in (9, 10, 12, 13) for byte in sample)


def sniff(stream: BinaryIO, name: str) -> FileKind:
    """The kind of the file in ``stream`` (read from the start; left at the start), checked
    against its name's extension. Raises NotAllowed for anything outside the allow-list."""
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    kind: FileKind | None = None
    if head.startswith(b"%PDF-"):
        kind = PDF
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = PNG
    elif head.startswith(b"\xff\xd8\xff"):
        kind = JPEG
    elif head[:6] in (b"GIF87a", b"GIF89a"):
        kind = GIF
    elif head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        kind = WEBP
    elif head.startswith(b"PK\x03\x04"):
        kind = _zip_kind(stream)
    elif _is_text(stream):
        kind = CSV if _extension(name) == ".csv" else TEXT
    stream.seek(0)
    if kind is None:
        raise NotAllowed(f"This kind of file is not accepted. Upload a {ALLOWED_LABEL} file.")
    if _extension(name) not in kind.extensions:
        raise NotAllowed(
            f"The file's content is a {kind.label}, which does not match its name; name it "
            f"with {' or '.join(kind.extensions)}.")
    return kind
