"""Reading an uploaded spreadsheet (CSV or XLSX) into a header and rows of text.

CSV: UTF-8 with or without a byte order mark, else Windows-1251 (what Russian Excel saves); the
delimiter is whichever of `,` `;` and tab splits the header line into the most columns. XLSX: the
first sheet, read-only; the first row is the header. Cells become stripped text (numbers without a
trailing `.0`, dates as YYYY-MM-DD) or None when empty. Rows keep their spreadsheet numbers (the
header is row 1) and blank rows are skipped. Anything unreadable is a ValidationFailed on `file`.
"""
import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time

from services.shared.errors import ValidationFailed
from services.tickets.imports.schemas import MAX_FILE_BYTES as MAX_BYTES
from services.tickets.imports.schemas import MAX_ROWS
MAX_COLUMNS = 100
MAX_SHEET_ROW = 100_000       # where a sheet may still hold data rows (blank ones are skipped)
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
DELIMITERS = (",", ";", "\t")
XLSX_MAGIC = b"PK\x03\x04"


@dataclass
class Table:
    header: list   # column names as written in the file
    rows: list     # (row number, [cell text or None, ...]) for every non-blank row


def refuse(reason):
    return ValidationFailed.from_fields({"file": [reason]})


def read_table(filename, content):
    """The header and the rows of `content`: XLSX when the name says so or the bytes are a zip."""
    if not content:
        raise refuse("The file is empty.")
    if len(content) > MAX_BYTES:
        raise refuse(f"The file is larger than {MAX_BYTES // 1024} KiB.")
    name = (filename or "").lower()
    if name.endswith(".xls"):
        raise refuse("Old .xls workbooks are not read: save the sheet as XLSX or CSV.")
    if name.endswith(".xlsx") or content.startswith(XLSX_MAGIC):
        lines = _xlsx_lines(content)
    else:
        lines = _csv_lines(content)
    return _table(lines)


def _table(lines):
    header, rows = None, []
    for number, cells in lines:
        cells = [_text(c) for c in cells]
        if any(cells[MAX_COLUMNS:]):
            raise refuse(f"Row {number} has more than {MAX_COLUMNS} columns.")
        if header is None:
            if not any(cells):
                raise refuse("The first row must name the columns.")
            header = cells
            while header[-1] is None:
                header.pop()
            continue
        if not any(cells):
            continue
        if len(rows) == MAX_ROWS:
            raise refuse(f"At most {MAX_ROWS} rows in one file: split it.")
        rows.append((number, (cells + [None] * len(header))[:max(len(header), len(cells))]))
    if header is None:
        raise refuse("The file is empty.")
    return Table(header=header, rows=rows)


def _text(value):
    if value is None:
        return None
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, datetime):
        text = value.date().isoformat() if value.time() == time() else value.isoformat()
    elif isinstance(value, date):
        text = value.isoformat()
    else:
        text = str(value)
    text = text.strip()
    return text or None


# -- CSV ------------------------------------------------------------------------------------------

def _decode(content):
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1251")
    except UnicodeDecodeError:
        raise refuse("Not a text file in UTF-8 or Windows-1251.") from None


def _delimiter(text):
    first_line = text.splitlines()[0] if text else ""
    widths = {d: len(next(csv.reader([first_line], delimiter=d), [])) for d in DELIMITERS}
    return max(DELIMITERS, key=lambda d: widths[d])  # ties go to the first: a comma


def _csv_lines(content):
    text = _decode(content)
    if "\x00" in text:
        raise refuse("Not a text file: it holds NUL bytes.")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        # Row numbers count records, so a quoted cell spanning lines is still one row.
        yield from enumerate(reader, start=1)
    except csv.Error as error:
        raise refuse(f"Not a readable CSV file: {error}.") from None


# -- XLSX -----------------------------------------------------------------------------------------

def _xlsx_lines(content):
    from openpyxl import load_workbook  # imported here: only imports need it

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if sum(member.file_size for member in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise refuse("The workbook unpacks to too much data.")
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except ValidationFailed:
        raise
    except Exception:  # openpyxl raises many kinds of errors on a broken workbook
        raise refuse("Not a readable XLSX workbook.") from None
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise refuse("The workbook has no sheet.")
        rows = sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True)
        for number, cells in enumerate(rows, start=1):
            if number > MAX_SHEET_ROW:
                raise refuse(f"The sheet goes on past row {MAX_SHEET_ROW}.")
            yield number, list(cells)
    except ValidationFailed:
        raise
    except Exception:
        raise refuse("Not a readable XLSX workbook.") from None
    finally:
        workbook.close()
