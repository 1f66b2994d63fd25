"""Filling a ministry's own HWPX form with a meeting's result report.

A form is a Hangul document whose tables hold labelled cells: "일시" with an empty cell to
its right, "주요 건의사항" with an empty cell below it. Each cell whose text is one of the
LABELS below gets the report's text in the cell to its right, or, when there is none or that
cell is a label too, in the cell below it; the rest of the form is left as it is. Labels are
matched ignoring spaces, a colon after them, bullets and case ("일 시 :" is 일시).
"""

import io
import re

from hwpx import HwpxDocument

# The report's fields (reports.selectors.Report.fields) and the labels that ask for each.
LABELS = {
    "title": ("제목", "건명", "회의명", "간담회명", "행사명", "Title", "Meeting"),
    "when": ("일시", "일자", "개최 일시", "날짜", "Date", "Date and time"),
    "venue": ("장소", "개최 장소", "Venue", "Place"),
    "host": ("주최", "주관", "주재", "Host"),
    "attendees": ("참석자", "참석 기관", "참석", "Attendees"),
    "presentations": ("발표", "발표 내용", "주요 발표", "Presentations"),
    "requests": ("주요 건의사항", "건의사항", "건의 내용", "Requests"),
    "pledges": ("정부 약속", "발표된 약속", "약속 사항", "Pledges"),
}
# What a label may carry around it: spaces, a colon, bullets and dashes.
DECORATION = re.compile(r"[\s:：○●□■◦·•※\-]")


def _key(text: str) -> str:
    return DECORATION.sub("", text).casefold()


FIELD_OF = {_key(label): field for field, labels in LABELS.items() for label in labels}


def _field(text: str) -> str | None:
    return FIELD_OF.get(_key(text))


def _labelled_cells(document):
    """(field, table, row, column) of each cell the form asks a field in."""
    for table in document.tables:
        try:
            grid = table.get_cell_map()
        except IndexError:  # a table whose cells do not tile its grid: left as it is
            continue
        labels = {}
        for row in grid:
            for position in row:
                if position.is_anchor:
                    field = _field(position.cell.text or "")
                    if field:
                        labels[position.anchor] = field
        for (row, column), field in labels.items():
            position = grid[row][column]
            right = (row, column + position.col_span)
            below = (row + position.row_span, column)
            for target_row, target_column in (right, below):
                if target_row >= len(grid) or target_column >= len(grid[0]):
                    continue
                target = grid[target_row][target_column].anchor
                if target not in labels:
                    yield field, table, *target
                    break


def unreadable(upload) -> bool:
    """Whether python-hwpx cannot open the file (checked as HWPX by its content already)."""
    upload.seek(0)
    try:
        list(_labelled_cells(HwpxDocument.open(io.BytesIO(upload.read()))))
    except Exception:  # whatever the reader chokes on makes the form unusable
        return True
    finally:
        upload.seek(0)
    return False


def labels_in(content: bytes) -> list[str]:
    """The report's fields that a form asks for, in the order of LABELS."""
    found = {field for field, *_cell in _labelled_cells(HwpxDocument.open(io.BytesIO(content)))}
    return [field for field in LABELS if field in found]


def filled(content: bytes, fields: dict[str, str]) -> bytes:
    """The form `content` with each labelled cell filled from `fields`."""
    document = HwpxDocument.open(io.BytesIO(content))
    for field, table, row, column in list(_labelled_cells(document)):
        table.set_cell_text(
            row, column, fields.get(field) or "—", logical=True, split_paragraphs=True
        )
    return document.to_bytes()
