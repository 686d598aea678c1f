"""Writing tables as CSV and XLSX, and reading CSV uploads. Knows no models.

Two dangers are handled here, once, for every export and import:

- **Formula injection.** A cell a person typed that starts with ``=``, ``+``, ``-`` or ``@``
  (or a tab or carriage return, which some spreadsheets skip before looking for one) would be
  run as a formula when the file is opened. Such text cells get a leading apostrophe, which
  spreadsheets show as plain text. Numbers, dates and booleans are written as values.
- **Hostile uploads.** The reader takes bytes with a size already checked, decodes strictly as
  UTF-8 (with or without a byte-order mark), refuses NUL characters and stops at a row limit
  instead of reading an unbounded file into memory.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# What makes a spreadsheet treat a text cell as a formula (OWASP "CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    """Text that no spreadsheet will run as a formula."""
    if value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def cell_value(value: Any) -> Any:
    """A value ready for a cell: text guarded, None blank, numbers and dates as they are."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float, Decimal)):
        return value
    if isinstance(value, (datetime, date)):
        return value
    return safe_text(str(value))


def _csv_text(value: Any) -> str:
    value = cell_value(value)
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens accents and emoji correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_csv_text(h) for h in header])
    for row in rows:
        writer.writerow([_csv_text(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def iter_csv(header: Sequence[str], rows: Iterable[Sequence[Any]], *,
             rows_per_chunk: int = 1000) -> Iterator[bytes]:
    """The same CSV as ``write_csv``, in pieces of ``rows_per_chunk`` rows, for a streamed
    response that never holds the whole file in memory."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow([_csv_text(h) for h in header])
    for number, row in enumerate(rows, start=1):
        writer.writerow([_csv_text(v) for v in row])
        if number % rows_per_chunk == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def write_xlsx(header: Sequence[str], rows: Iterable[Sequence[Any]], *,
               sheet_title: str = "Ideas") -> bytes:
    """One sheet with the header row frozen. Every text cell is typed as text (``s``), so
    openpyxl never stores it as a formula, and guarded as in the CSV all the same (a person
    may copy the value into a cell of their own). Times are written in UTC."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(sheet_title))
    sheet.freeze_panes = "A2"
    sheet.append([_text_cell(sheet, h) for h in header])
    for row in rows:
        sheet.append([_cell(sheet, v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: str) -> str:
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in title).strip()
    return (cleaned or "Ideas")[:31]


def _text_cell(sheet, value: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=_printable(value))
    cell.data_type = "s"  # openpyxl would otherwise store "=…" as a formula
    return cell


def _printable(text: str) -> str:
    # XML 1.0 cannot hold most control characters; they carry no meaning in a cell anyway.
    return "".join(ch for ch in text if ch in "\t\n\r" or ord(ch) >= 32)


def _cell(sheet, value: Any) -> Any:
    value = cell_value(value)
    if isinstance(value, str):
        return _text_cell(sheet, value)
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return WriteOnlyCell(sheet, value=value)


class TableError(ValueError):
    """The upload cannot be read as a table at all (not one row's problem)."""


def read_csv(data: bytes, *, max_rows: int) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the data rows (with their row numbers) of a CSV upload. Raises
    ``TableError``, with a message for a person, when the bytes are not UTF-8 CSV or hold more
    than ``max_rows`` data rows."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TableError(
            f"The file is not UTF-8 text (byte {exc.start + 1} cannot be read). Save it as "
            "“CSV UTF-8” and upload it again.") from None
    if "\x00" in text:
        raise TableError("The file contains null characters; it does not look like CSV text.")
    if not text.strip():
        raise TableError("The file is empty.")
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    # Spreadsheets in some locales save with ";" (or tabs); the header line tells which.
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
        rows: list[tuple[int, list[str]]] = []
        # Row numbers as a spreadsheet shows them: the header is row 1.
        for number, row in enumerate(reader, start=2):
            if not any(cell.strip() for cell in row):
                continue  # blank lines, which spreadsheets often leave at the end
            if len(rows) >= max_rows:
                raise TableError(f"The file has more than {max_rows:,} rows; split it into "
                                 "smaller files.")
            rows.append((number, row))
    except csv.Error as exc:
        raise TableError(f"The file is not valid CSV near line {reader.line_num}: {exc}.") \
            from None
    return [h.strip() for h in header], rows
