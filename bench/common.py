"""What every part of the bench shares: timing, and a figure with its floor and its goal."""

import dataclasses
import operator
import sys
import time

REPEATS = 7
_STARTED = time.perf_counter()


def say(what: str) -> None:
    """Progress on stderr, so that the table on stdout stays clean."""
    print(f"[{time.perf_counter() - _STARTED:5.0f} s] {what}", file=sys.stderr, flush=True)


def best_of(action, repeats=REPEATS) -> float:
    """Seconds of the fastest of `repeats` runs: the least disturbed by the machine."""
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return min(timings)


@dataclasses.dataclass(frozen=True)
class Goal:
    """The figure's `on` ("ratio" or "measured", in its own unit) against `bound` by `op`."""

    on: str
    op: str  # "<", "≤" or "≥"
    bound: float
    text: str = ""  # how to show a goal on the measured value, e.g. "≤ 50 ms"

    def met(self, figure) -> bool:
        value = figure.ratio if self.on == "ratio" else figure.measured
        compare = {"<": operator.lt, "≤": operator.le, "≥": operator.ge}[self.op]
        return compare(value, self.bound)

    def __str__(self):
        return self.text or f"{self.op} {self.bound:g}×"


@dataclasses.dataclass(frozen=True)
class Figure:
    name: str
    measured: float
    unit: str  # "s" (shown in ms), "seconds" (shown in s), "emails/s" or "MB"
    floor_name: str = ""
    floor: float | None = None
    goal: Goal | None = None

    @property
    def ratio(self) -> float | None:
        return None if self.floor is None else self.measured / self.floor

    @property
    def met(self) -> bool | None:
        return None if self.goal is None else self.goal.met(self)


def quantity(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    if unit == "s":
        ms = value * 1000
        digits = 2 if ms < 10 else 1 if ms < 100 else 0
        return f"{ms:,.{digits}f} ms"
    if unit == "seconds":
        return f"{value:,.1f} s"
    if unit == "emails/s":
        return f"{value:,.0f} /s"
    return f"{value:,.0f} {unit}"


def ratio_text(ratio: float | None) -> str:
    if ratio is None:
        return "–"
    digits = 3 if ratio < 0.01 else 2 if ratio < 10 else 1 if ratio < 100 else 0
    return f"{ratio:,.{digits}f}×"


def table(figures) -> str:
    """One row per figure: what, measured, floor, ratio, goal and whether it is met."""
    header = ("figure", "measured", "floor", "", "ratio", "goal", "met?")
    rows = [
        (
            figure.name,
            quantity(figure.measured, figure.unit),
            figure.floor_name or "–",
            quantity(figure.floor, figure.unit) if figure.floor is not None else "",
            ratio_text(figure.ratio),
            str(figure.goal) if figure.goal else "–",
            {None: "", True: "yes", False: "NO"}[figure.met],
        )
        for figure in figures
    ]
    widths = [max(len(row[n]) for row in [header, *rows]) for n in range(len(header))]
    right = {1, 3, 4}  # numbers
    lines = []
    for row in [header, None, *rows]:
        if row is None:
            lines.append("  ".join("-" * width for width in widths).rstrip())
            continue
        cells = [
            cell.rjust(width) if n in right else cell.ljust(width)
            for n, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)
