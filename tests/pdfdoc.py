"""Write small PDFs for the tests: tables ruled with lines, or text laid out in columns.

A plain PDF 1.4 with the standard Helvetica font (nothing embedded), so that what pdfplumber reads
back is exactly what a test put in.
"""

from __future__ import annotations

from pathlib import Path

PAGE_WIDTH, PAGE_HEIGHT = 1190, 842  # A3 landscape, in points
ROW_HEIGHT, FONT_SIZE, MARGIN = 18, 8, 30


def table_page(rows: list[list[str]], widths: list[int], ruled: bool = True, top: int = MARGIN) -> str:
    """The content stream of a page holding a table: one text line per cell, with grid lines if ruled."""
    ops = [f"BT /F1 {FONT_SIZE} Tf ET"]
    xs = [MARGIN]
    for width in widths:
        xs.append(xs[-1] + width)
    y_top = PAGE_HEIGHT - top
    for n, row in enumerate(rows):
        y = y_top - (n + 1) * ROW_HEIGHT + 6
        for x, cell in zip(xs, row, strict=False):
            if cell:
                ops.append(f"BT /F1 {FONT_SIZE} Tf {x + 3} {y} Td ({_escape(cell)}) Tj ET")
    if ruled:
        bottom = y_top - len(rows) * ROW_HEIGHT
        ops.append("0.5 w")
        for n in range(len(rows) + 1):
            y = y_top - n * ROW_HEIGHT
            ops.append(f"{xs[0]} {y} m {xs[-1]} {y} l S")
        for x in xs:
            ops.append(f"{x} {y_top} m {x} {bottom} l S")
    return "\n".join(ops)


def text_page(lines: list[str], top: int = MARGIN) -> str:
    """A page of plain text lines (titles, footers)."""
    return "\n".join(f"BT /F1 {FONT_SIZE} Tf {MARGIN} {PAGE_HEIGHT - top - (n + 1) * ROW_HEIGHT} Td "
                     f"({_escape(line)}) Tj ET" for n, line in enumerate(lines))


def write_pdf(path: Path, pages: list[str]) -> Path:
    """A PDF whose pages have the given content streams."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", ""]
    kids = []
    font = 3 + 2 * len(pages)
    for content in pages:
        page_id, content_id = len(objects) + 1, len(objects) + 2
        kids.append(f"{page_id} 0 R")
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] "
                       f"/Contents {content_id} 0 R /Resources << /Font << /F1 {font} 0 R >> >> >>")
        data = content.encode("cp1252")
        objects.append(f"<< /Length {len(data)} >>\nstream\n{content}\nendstream")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(pages)} >>"
    objects.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n{body}\nendobj\n".encode("cp1252")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))
    return path


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
