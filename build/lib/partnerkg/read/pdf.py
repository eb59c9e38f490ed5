"""PDF documents, read from the PDF itself with pdfplumber: ruled tables, or text laid out in columns.

``tables = "ruled"`` takes the tables pdfplumber finds by their ruling lines (a cell that wraps
stays one cell); ``"text"`` rebuilds rows from the words' positions: a wide gap ends a cell, the
header line gives the columns, and a line with nothing in the first column carries on the row
above (a wrapped cell). ``"auto"`` (the default) takes ruled tables where a page has them.

The rows then go through the same row logic as the other forms: ``rows = "table"`` maps columns
by header (read.base.table_records); ``rows = "by-content"`` reads each cell for what it says, as
for PDF text already pulled out (read.pdf_table.content_records). A record's place is its page
and row ("page 3 row 5").
"""

from __future__ import annotations

import io
from pathlib import Path

from ..errors import ManifestError, SourceError
from ..model import ReadResult
from ..text import fold_spaces
from .base import Origin, Row, _header_positions, table_records
from .pdf_table import content_records

SETTINGS = frozenset({"tables", "rows", "header", "skip", "gap"})


def parse_pdf(data: bytes, part, origin: Origin) -> ReadResult:
    """Records from a PDF's tables (see the module's docstring for the settings)."""
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError

    mode = part.settings.tables
    if mode not in ("auto", "ruled", "text"):
        raise ManifestError(f"{origin.file}: setting 'tables' = {mode!r}; allowed: auto, ruled, text")
    rows: list[Row] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            header: list[float] | None = None
            for number, page in enumerate(pdf.pages, 1):
                ruled = page.extract_tables() if mode in ("auto", "ruled") else []
                if ruled:
                    rows += _ruled_rows(ruled, number)
                elif mode != "ruled":
                    page_rows, header = _text_rows(page, number, part, header)
                    rows += page_rows
            pages = len(pdf.pages)
    except (PDFSyntaxError, ValueError, KeyError, TypeError) as exc:
        raise SourceError(f"{origin.file}: not a readable PDF: {exc}") from None
    except Exception as exc:  # pdfminer raises its own bare exceptions on broken files
        if type(exc).__module__.startswith(("pdfminer", "pdfplumber")):
            raise SourceError(f"{origin.file}: not a readable PDF: {exc}") from None
        raise
    if part.settings.rows == "by-content":
        return content_records(rows, part, origin, lines_read=pages)
    return table_records(rows, part, origin, lines_read=pages)


def _ruled_rows(tables: list, page: int) -> list[Row]:
    rows = []
    for table in tables:
        for cells in table:
            cells = [fold_spaces(c or "") for c in cells]
            rows.append(Row(page, cells, "\t".join(cells).rstrip("\t"), f"page:{page}/{len(rows) + 1}"))
    return rows


def _text_rows(page, number: int, part, header: list[float] | None) -> tuple[list[Row], list[float] | None]:
    """Rows rebuilt from word positions; the column starts are the header line's cells."""
    gap = float(part.settings.gap)
    lines = _lines(page.extract_words(keep_blank_chars=False, use_text_flow=False), gap)
    rows: list[Row] = []
    for cells in lines:
        texts = [t for _, t in cells]
        if header is None or _is_header(texts, part):
            if _is_header(texts, part) or (header is None and not part.columns):
                header = [x for x, _ in cells]
        if header is None:
            rows.append(Row(number, texts, "\t".join(texts), f"page:{number}/{len(rows) + 1}"))
            continue
        placed = [""] * len(header)
        for x, text in cells:
            column = max([i for i, start in enumerate(header) if start <= x + 2] or [0])
            placed[column] = fold_spaces(f"{placed[column]} {text}")
        if rows and not placed[0] and any(placed) and part.settings.rows != "by-content":
            previous = rows[-1]
            merged = [fold_spaces(f"{a} {b}") for a, b in zip(previous.cells, placed, strict=False)]
            rows[-1] = Row(previous.line, merged, f"{previous.text}\n{chr(9).join(placed)}", previous.locator)
            continue
        rows.append(Row(number, placed, "\t".join(placed).rstrip("\t"), f"page:{number}/{len(rows) + 1}"))
    return rows, header


def _is_header(texts: list[str], part) -> bool:
    return bool(part.columns) and _header_positions(texts, part.columns) is not None and \
        any(isinstance(v, str) for v in part.columns.values())


def _lines(words: list[dict], gap: float) -> list[list[tuple[float, str]]]:
    """Words grouped into lines (by their top), and each line into cells at wide gaps."""
    words = sorted(words, key=lambda w: (round(w["top"]), w["x0"]))
    lines: list[list[dict]] = []
    for word in words:
        if lines and abs(lines[-1][0]["top"] - word["top"]) <= 3:
            lines[-1].append(word)
        else:
            lines.append([word])
    result = []
    for line in lines:
        line.sort(key=lambda w: w["x0"])
        cells: list[tuple[float, list[str]]] = []
        previous = None
        for word in line:
            size = (word["bottom"] - word["top"]) or 10
            if previous is None or word["x0"] - previous["x1"] > gap * size * 0.5:
                cells.append((word["x0"], [word["text"]]))
            else:
                cells[-1][1].append(word["text"])
            previous = word
        result.append([(x, " ".join(ws)) for x, ws in cells])
    return result


def read_pdf(path: str | Path, part) -> ReadResult:
    path = Path(path)
    return parse_pdf(path.read_bytes(), part, Origin(source=path.stem, file=path.name))

