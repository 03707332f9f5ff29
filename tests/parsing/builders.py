"""Builds the Word and Excel fixture documents in the tests (no binary files are committed)."""

from __future__ import annotations

import io

import docx
import openpyxl

TASK_HEADER = ["序号", "工作任务", "牵头单位", "责任单位", "完成时限"]


def docx_bytes(paragraphs: list[str], tables: list[list[list[str]]] | None = None, *,
               tables_after: int | None = None, merges: list[tuple[int, int, int, int, int]] | None = None) -> bytes:
    """Paragraphs, then the tables (inserted after paragraph ``tables_after`` if given)."""
    document = docx.Document()
    split = len(paragraphs) if tables_after is None else tables_after
    for text in paragraphs[:split]:
        document.add_paragraph(text)
    built = []
    for rows in tables or []:
        width = max(len(r) for r in rows)
        table = document.add_table(rows=len(rows), cols=width)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
        built.append(table)
    for table_index, r1, c1, r2, c2 in merges or []:
        table = built[table_index]
        merged = table.cell(r1, c1).merge(table.cell(r2, c2))
        keep = merged.paragraphs[0].text
        for paragraph in merged.paragraphs[1:]:
            paragraph._p.getparent().remove(paragraph._p)
        merged.paragraphs[0].text = keep
    for text in paragraphs[split:]:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(rows: list[list[object]], merges: list[str] | None = None) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "任务分解"
    for row in rows:
        sheet.append(row)
    for cell_range in merges or []:
        sheet.merge_cells(cell_range)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def pdf_bytes(pages: list[list[str]]) -> bytes:
    """A PDF whose pages hold these lines as a text layer (no fonts embedded: Adobe's STSong-Light with the
    UniGB-UCS2-H encoding, which every reader knows). A page with no lines has no text, like a scan."""
    objects: list[bytes] = [
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [4 0 R] >>",
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [0 -200 1000 900] /ItalicAngle 0"
        b" /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
        b"",  # 3: the page tree, written once the pages are known
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe)"
        b" /Ordering (GB1) /Supplement 4 >> /FontDescriptor 2 0 R /DW 1000 >>",
    ]
    kids = []
    for lines in pages:
        ops = [b"BT /F1 12 Tf 14 TL 50 800 Td"] if lines else [b"0 0 0 rg 50 50 495 742 re f"]
        ops += [b"<" + line.encode("utf-16-be").hex().encode() + b"> Tj T*" for line in lines]
        ops += [b"ET"] if lines else []
        stream = b"\n".join(ops)
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        objects.append(b"<< /Type /Page /Parent 3 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 1 0 R >> >>"
                       b" /Contents %d 0 R >>" % len(objects))
        kids.append(len(objects))
    objects[2] = (b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids)
                  + b"] /Count %d >>" % len(kids))
    objects.append(b"<< /Type /Catalog /Pages 3 0 R >>")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.writelines(b"%010d 00000 n \n" % offset for offset in offsets)
    out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, len(objects), xref))
    return out.getvalue()
