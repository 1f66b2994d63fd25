"""The result report (reports.selectors.Report) as a file: HWPX (OWPML, Hangul's own format,
written with python-hwpx) and DOCX (python-docx). Both hold the same title, facts and tables;
every text has been made writable (reports.selectors.writable) before it gets here."""

import io

import docx
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from hwpx import HwpxDocument

from .selectors import Report

# Each section's column widths, relative, by its number of columns.
COLUMN_WEIGHTS = {3: [3, 2, 5], 4: [2, 4, 4, 9], 6: [2, 5, 4, 6, 4, 6]}
HEADER_SHADE = "#E7ECF3"
# The width between A4's margins of 2 cm.
TEXT_WIDTH_CM = 17


def _weights(columns: int) -> list[int]:
    return COLUMN_WEIGHTS.get(columns, [1] * columns)


def as_hwpx(report: Report) -> bytes:
    document = HwpxDocument.new()
    title = document.styles.ensure_run(bold=True, size=16)
    heading = document.styles.ensure_run(bold=True, size=12)
    bold = document.styles.ensure_run(bold=True)
    document.add_paragraph(report.title, char_pr_id_ref=title)
    facts = document.add_table(len(report.facts), 2)
    facts.set_column_widths([1, 4])
    for row, (label, value) in enumerate(report.facts):
        facts.set_cell_text(row, 0, label)
        facts.set_cell_shading(row, 0, HEADER_SHADE)
        facts.set_cell_text(row, 1, value, split_paragraphs=True)
    for number, section in enumerate(report.sections, 1):
        document.add_paragraph("")
        document.add_paragraph(f"{number}. {section.heading}", char_pr_id_ref=heading)
        if not section.table.rows:
            document.add_paragraph(section.empty)
            continue
        header = section.table.header
        table = document.add_table(len(section.table.rows) + 1, len(header))
        table.set_column_widths(_weights(len(header)))
        for column, label in enumerate(header):
            table.set_cell_text(0, column, label)
            table.set_cell_shading(0, column, HEADER_SHADE)
            for run in table.cell(0, column).paragraphs[0].runs:
                run.char_pr_id_ref = bold
        for row, values in enumerate(section.table.rows, 1):
            for column, value in enumerate(values):
                table.set_cell_text(row, column, value, split_paragraphs=True)
    return document.to_bytes()


def as_docx(report: Report) -> bytes:
    document = docx.Document()
    page = document.sections[0]
    # A4, as Korean offices print.
    page.page_width, page.page_height = Cm(21), Cm(29.7)
    page.left_margin = page.right_margin = Cm(2)
    normal = document.styles["Normal"]
    normal.font.size = Pt(10)
    # East Asian text takes a font of its own in Word; Malgun Gothic ships with Windows.
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "Malgun Gothic")
    document.add_heading(report.title, level=0)
    facts = document.add_table(rows=0, cols=2, style="Table Grid")
    for label, value in report.facts:
        cells = facts.add_row().cells
        cells[0].paragraphs[0].add_run(label).bold = True
        cells[1].text = value
    _widths(facts, [1, 4])
    for number, section in enumerate(report.sections, 1):
        document.add_heading(f"{number}. {section.heading}", level=1)
        if not section.table.rows:
            document.add_paragraph(section.empty)
            continue
        table = document.add_table(rows=1, cols=len(section.table.header), style="Table Grid")
        for cell, label in zip(table.rows[0].cells, section.table.header, strict=True):
            cell.paragraphs[0].add_run(label).bold = True
        for values in section.table.rows:
            for cell, value in zip(table.add_row().cells, values, strict=True):
                cell.text = value
        _widths(table, _weights(len(section.table.header)))
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


def _widths(table, weights) -> None:
    """Word reads a column's width from each of its cells, LibreOffice from the grid."""
    table.autofit = False
    widths = [Cm(TEXT_WIDTH_CM * weight / sum(weights)) for weight in weights]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
