"""The pledge chart as SVG: it parses, labels its axes, baseline and target, draws one point
per progress entry, writes the same figures as a table, and keeps a typed title as text."""

import datetime
from decimal import Decimal

import pytest
from defusedxml import ElementTree
from django.utils import translation

from pledges import charts
from pledges.models import Qualifier
from pledges.tests.factories import CommitmentFactory, ProgressEntryFactory

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


def parse(html):
    """The chart's <svg> and the figures table, each parsed as XML."""
    svg = html[html.index("<svg") : html.index("</svg>") + len("</svg>")]
    table = html[html.index("<table") : html.index("</table>") + len("</table>")]
    return ElementTree.fromstring(svg), ElementTree.fromstring(table)


def texts(element):
    return ["".join(node.itertext()) for node in element.iter(f"{SVG}text")]


@pytest.fixture
def adoption():
    pledge = CommitmentFactory(
        title="제조업 AI 도입률 40% 달성",
        title_en="AI adoption in manufacturing to 40%",
        unit="%",
        baseline_value=Decimal(5),
        baseline_qualifier=Qualifier.LESS_THAN,
        baseline_year=2025,
        target_value=Decimal(40),
        target_year=2030,
    )
    ProgressEntryFactory(commitment=pledge, date=datetime.date(2026, 6, 30), value=12, note="")
    ProgressEntryFactory(
        commitment=pledge, date=datetime.date(2027, 6, 30), value=Decimal("18.5"), note="중간 점검"
    )
    return pledge


def test_the_chart_has_axes_dates_baseline_target_and_a_point_per_entry(adoption):
    with translation.override("ko"):
        html = str(charts.progress_chart(adoption, adoption.progress_entries.all()))
    svg, table = parse(html)
    labels = texts(svg)
    assert svg.get("role") == "img"
    assert svg.find(f"{SVG}title").text == "“제조업 AI 도입률 40% 달성” 진행 상황"
    # The value axis in the pledge's unit from zero, the years from baseline to target.
    assert "%" in labels and {"0", "10", "20", "30", "40"} <= set(labels)
    assert [year for year in map(str, range(2025, 2031)) if year in labels] == [
        "2025",
        "2026",
        "2027",
        "2028",
        "2029",
        "2030",
    ]
    assert "기준값 5% 미만" in labels and "목표 40%" in labels
    entries = [c for c in svg.iter(f"{SVG}circle") if c.get("class") == "entry"]
    assert [c.find(f"{SVG}title").text for c in entries] == [
        "2026년 6월 30일: 12%",
        "2027년 6월 30일: 18.5%",
    ]
    assert len(svg.find(f"{SVG}polyline").get("points").split()) == 3  # baseline, two entries
    # The same figures as text, which the chart names for screen readers.
    assert svg.get("aria-describedby") == table.get("id")
    rows = [["".join(td.itertext()) for td in tr] for tr in table.iter("tr")][1:]
    assert rows == [
        ["2025년 1월 1일", "5% 미만", "기준값"],
        ["2026년 6월 30일", "12%", "추진 실적"],
        ["2027년 6월 30일", "18.5%", "중간 점검"],
        ["2030년 12월 31일", "40%", "목표"],
    ]


def test_the_chart_in_english_and_in_larger_units_of_won():
    budget = CommitmentFactory(
        title="스마트공장 예산 확대",
        title_en="Smart-factory budget",
        unit="억원",
        baseline_value=Decimal(2361),
        baseline_qualifier=Qualifier.EXACT,
        baseline_year=2025,
        target_value=Decimal(4366),
        target_year=2026,
    )
    with translation.override("en"):
        svg, _ = parse(str(charts.progress_chart(budget, [])))
    labels = texts(svg)
    assert svg.find(f"{SVG}title").text == "Progress of “Smart-factory budget”"
    assert "100 million won" in labels and "6,000" in labels
    assert "baseline 236.1 billion won" in labels and "target 436.6 billion won" in labels
    # Under two years: a mark each quarter, a label each half-year.
    assert "2025.1" in labels and "2026.7" in labels and "2026.4" not in labels
    assert not list(svg.iter(f"{SVG}circle"))  # no entries yet, no points


def test_a_hostile_title_stays_text():
    title = '</title><script>alert(1)</script><a href="javascript:x">&'
    pledge = CommitmentFactory(title=title)
    html = str(charts.progress_chart(pledge, []))
    assert "<script" not in html and 'javascript:x"' not in html
    svg, _ = parse(html)
    assert svg.find(f"{SVG}title").text == f"“{title}” 진행 상황"
    assert not list(svg.iter(f"{SVG}script")) and not list(svg.iter(f"{SVG}a"))


def test_nothing_to_draw():
    amount_only = CommitmentFactory(
        baseline_value=None, target_value=None, baseline_year=None, target_year=None
    )
    assert charts.progress_chart(amount_only, []) == "—"
    assert charts.progress_chart(amount_only, [], empty="") == ""
