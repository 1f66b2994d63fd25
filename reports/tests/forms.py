"""A ministry's own result report form, as Hangul writes one: a table of labelled cells."""

from hwpx import HwpxDocument


def ministry_form() -> bytes:
    """One table: "일 시", "장  소 :" and "주 최" with an empty cell to their right; "참석자"
    and "주요 건의사항" over an empty cell below them, beside "비고" (not a label) and its note."""
    document = HwpxDocument.new()
    document.add_paragraph("현장 간담회 결과 보고")
    table = document.add_table(7, 2)
    cells = {
        (0, 0): "일 시",
        (1, 0): "장  소 :",
        (2, 0): "주 최",
        (3, 0): "참석자",
        (3, 1): "주요 건의사항",
        (5, 0): "비고",
        (5, 1): "부서장 확인 후 배포",
    }
    for (row, column), text in cells.items():
        table.set_cell_text(row, column, text)
    return document.to_bytes()
