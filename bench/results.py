"""The public results (/results/, its API and its timelines) for the seeded relay series plus
10,000 public requests, half of them with a published answer, next to the floor of a 304 for
the same page (the version query and the middleware, nothing rendered). Part of `make bench`
(bench/run.py), in the test database it creates. Goal: each page within 0.3 s on the server.
"""

import dataclasses
import random

from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from bench.common import best_of
from bench.search import ASKS, SUBJECTS

REQUESTS = 10_000
REPEATS = 5


@dataclasses.dataclass
class Pages:
    floor: float
    pages: dict[str, float]  # page → seconds for a 200
    sizes: dict[str, int]  # page → bytes


def dataset_create(rnd: random.Random):
    """The seeded series, and REQUESTS public requests at its public meetings from 100
    organizations, POSCO one of them (about 100 requests, many times what one company asked
    at the relay's meetings)."""
    from events.models import Meeting
    from followups import search
    from followups.models import StakeholderRequest
    from stakeholders.models import Organization

    call_command("seed_relay", verbosity=0)
    meetings = list(Meeting.objects.public())
    posco = Organization.objects.get(name="포스코")
    others = Organization.objects.bulk_create(
        [Organization(name=f"기업 {n}", kind="company") for n in range(99)]
    )
    organizations = [posco, *others]
    texts = [f"{subject} {ask}" for subject in SUBJECTS for ask in ASKS]
    terms = {text: search.document(text) for text in texts}
    now = timezone.now()
    rows = []
    for n in range(REQUESTS):
        text = rnd.choice(texts)
        answered = n % 2 == 0
        rows.append(
            StakeholderRequest(
                meeting=meetings[n % len(meetings)],
                organization=rnd.choice(organizations),
                category=rnd.choice(StakeholderRequest.Category.values),
                text=text,
                search_terms=terms[text],
                is_public=True,
                status="answered" if answered else "in_progress",
                response="검토 후 반영하겠습니다" if answered else "",
                responded_at=now if answered else None,
                published_at=now if answered else None,
            )
        )
    StakeholderRequest.objects.bulk_create(rows, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE followups_stakeholderrequest")
    return posco


def results_figures() -> Pages:
    from followups import search
    from pledges.models import Commitment

    posco = dataset_create(random.Random(20251219))
    pledge = Commitment.objects.filter(meeting__visibility="public").order_by("pk").first()
    search.analyser()  # loaded once per process, not per search
    client = Client(HTTP_ACCEPT_LANGUAGE="ko")
    urls = {
        "/results/": "/results/",
        "/results/ searched “규제”": "/results/?q=%EA%B7%9C%EC%A0%9C",
        "/results/, page 50": "/results/?page=50",
        "GET /api/v1/public/results/": "/api/v1/public/results/",
        "POSCO's public timeline": f"/results/organizations/{posco.pk}/",
        "a pledge's public timeline": f"/results/pledges/{pledge.pk}/",
    }

    def get(url, **headers):
        response = client.get(url, **headers)
        assert response.status_code in (200, 304), (url, response.status_code)
        return response

    etag = get("/results/")["ETag"]
    return Pages(
        floor=best_of(lambda: get("/results/", HTTP_IF_NONE_MATCH=etag), repeats=REPEATS),
        pages={
            name: best_of(lambda url=url: get(url), repeats=REPEATS) for name, url in urls.items()
        },
        sizes={name: len(get(url).content) for name, url in urls.items()},
    )
