"""Korean search over requests, and the similar earlier requests a coordinator may link.

Korean glues particles and endings to words and writes compounds with or without a space
("규제를", "규제완화", "규제 완화"), so matching on the text's characters finds too little. A
request is indexed by the nouns of what it asks (its text; the ministry's answer is not what a
request is found or compared by), found by Kiwi (kiwipiepy; its model is an installed package,
nothing is downloaded): each noun, Latin word and number, the parts of a compound and the
compound whole ("규제완화" gives 규제, 완화 and 규제완화), and the beginnings of two characters or
more of each (so that "규제" finds 규제샌드박스, a compound Kiwi keeps whole), lower-cased and
space-separated in `StakeholderRequest.search_terms`, which the model writes on every save.

On PostgreSQL a stored generated `tsvector` column (the `simple` configuration over those terms,
with a GIN index; migration 0005) is matched against the query's terms; on SQLite the same terms
are matched in the text column, with the same results. A query is analysed the same way and
each of its terms must be a term of the request: exact lexemes, which the GIN index answers
alone (a prefix query has every row it finds read again).

Similar requests are ranked by trigram similarity of their terms: pg_trgm's `similarity()` on
PostgreSQL (its GiST index finds the nearest first), and the same computation in Python on SQLite.
"""

import functools
import re
import threading

from django.db import connection
from django.db.models import BooleanField, Expression, F, FloatField, Func, Q, Value

# Kiwi's tags kept as terms: common and proper nouns, roots, Latin words, Hanja, numbers.
TERM_TAGS = frozenset({"NNG", "NNP", "XR", "SL", "SH", "SN"})
# pg_trgm's default `similarity_threshold`: pairs below it are not suggested.
SIMILARITY_THRESHOLD = 0.3
SIMILAR_LIMIT = 5
# Longer "words" are no words (PostgreSQL would not index them either).
TERM_MAX_LENGTH = 100
# A query is a few words; a longer one is refused by the forms and the API before analysis.
QUERY_MAX_LENGTH = 200

_WORD = re.compile(r"[^\W_]+")
_loading = threading.Lock()


@functools.cache
def _kiwi_loaded():
    from kiwipiepy import Kiwi

    return Kiwi()


def analyser():
    """The one Kiwi of this process, loaded on first use (about a second and 250 MB): processes
    that never index or search never load it."""
    with _loading:
        return _kiwi_loaded()


def terms(*texts: str, compounds: bool = True) -> list[str]:
    """The terms of `texts` in order, each once. Nouns written together ("인재양성") give their
    parts and, with `compounds`, the whole; a query leaves the wholes out, so that "규제완화"
    also finds "규제 완화"."""
    found = {}
    for text in texts:
        if not text or not text.strip():
            continue
        run, end = [], None
        for token in [*analyser().tokenize(text), None]:
            if token is not None and token.tag in TERM_TAGS:
                pieces = _WORD.findall(token.form.lower())
                word = pieces[0][:TERM_MAX_LENGTH] if len(pieces) == 1 else ""  # not "3.5"
                if word:
                    if run and token.start != end:
                        _add_run(found, run, compounds)
                        run = []
                    run.append(word)
                    end = token.start + token.len
                    continue
            _add_run(found, run, compounds)
            run = []
    return list(found)


def _add_run(found: dict, run: list[str], compounds: bool) -> None:
    for word in run:
        found.setdefault(word)
    if compounds and len(run) > 1:
        found.setdefault("".join(run)[:TERM_MAX_LENGTH])


def document(*texts: str) -> str:
    """What `search_terms` holds for a request of these texts: its terms and their beginnings
    (one character would match nearly everything), with a space at either end so that every
    term is " term " wherever it stands."""
    found = dict.fromkeys(terms(*texts))
    for term in list(found):
        found.update(dict.fromkeys(term[:end] for end in range(2, len(term))))
    return f" {' '.join(found)} " if found else ""


def reindex(queryset, *, batch_size=1000) -> int:
    """Writes the terms of every request of `queryset` again (rows written around save():
    a queryset update() or bulk_create(), or before search existed); returns how many."""
    model, count, batch = queryset.model, 0, []
    for request in queryset.only("text").order_by("pk").iterator(batch_size):
        request.search_terms = document(request.text)
        batch.append(request)
        if len(batch) == batch_size:
            count += model.objects.bulk_update(batch, ["search_terms"])
            batch = []
    return count + model.objects.bulk_update(batch, ["search_terms"])


# --- Searching -----------------------------------------------------------------------------


class _MatchesVector(Expression):
    """`search_vector @@ to_tsquery('simple', …)` on the queryset's own table: the column is
    PostgreSQL's alone (generated from search_terms), so the model does not declare it."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, tsquery: str):
        super().__init__()
        self.tsquery = tsquery

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return f"{table}.\"search_vector\" @@ to_tsquery('simple', %s)", [self.tsquery]


def matching(queryset, query: str):
    """The requests of `queryset` whose terms hold every term of `query`; none for a query
    with no term (only particles, endings or punctuation)."""
    wanted = terms(query[:QUERY_MAX_LENGTH], compounds=False)
    if not wanted:
        return queryset.none()
    if connection.vendor == "postgresql":
        tsquery = " & ".join(f"'{term}'" for term in wanted)
        return queryset.filter(_MatchesVector(tsquery))
    condition = Q()
    for term in wanted:
        condition &= Q(search_terms__contains=f" {term} ")
    return queryset.filter(condition)


# --- Similar requests ----------------------------------------------------------------------


def trigrams(text: str) -> set[str]:
    """pg_trgm's trigrams of `text`: each word (letters and digits) lower-cased, with two
    spaces before it and one after, cut into every run of three characters."""
    found = set()
    for word in _WORD.findall(text.lower()):
        padded = f"  {word} "
        found.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return found


def similarity(left: str, right: str) -> float:
    """pg_trgm's `similarity()`: the trigrams in common over all the trigrams of either."""
    a, b = trigrams(left), trigrams(right)
    return len(a & b) / len(a | b) if a and b else 0.0


class _Similarity(Func):
    function = "similarity"
    output_field = FloatField()


class _Distance(Func):
    """pg_trgm's `<->`, one minus the similarity: the trigram index orders by it."""

    template = "%(expressions)s"
    arg_joiner = " <-> "
    output_field = FloatField()


class _SimilarEnough(Func):
    """pg_trgm's `%` operator: similarity at or over its threshold."""

    template = "%(expressions)s"
    arg_joiner = " %% "
    output_field = BooleanField()


def similar(request, candidates, *, limit=SIMILAR_LIMIT) -> list:
    """The requests of `candidates` most like `request` (by its terms), best first, each with
    `similarity` (0–1) set; those under pg_trgm's threshold are left out. Equally similar ones
    come in any order on PostgreSQL, the newest first on SQLite."""
    own = request.search_terms.strip()
    if not own:
        return []
    candidates = candidates.exclude(pk=request.pk).exclude(search_terms="")
    if connection.vendor == "postgresql":
        found = (
            candidates.filter(_SimilarEnough(F("search_terms"), Value(own)))
            .annotate(similarity=_Similarity(F("search_terms"), Value(own)))
            # Nearest first, as the index walks (a second key would sort every match).
            .order_by(_Distance(F("search_terms"), Value(own)))
        )
        return list(found[:limit])
    scored = []
    for other in candidates:
        other.similarity = similarity(own, other.search_terms)
        if other.similarity >= SIMILARITY_THRESHOLD:
            scored.append(other)
    scored.sort(key=lambda other: (-other.similarity, -other.pk))
    return scored[:limit]


def earlier_in_series(request, queryset):
    """The requests of `queryset` raised at earlier meetings of `request`'s series: what it may
    be the same as."""
    meeting = request.meeting
    return queryset.filter(
        meeting__series_id=meeting.series_id, meeting__period_start__lt=meeting.period_start
    )
