"""Each URL name belongs to one view: where two routes share a name, reverse() answers with the
one last in the URLconf, so reordering routes would silently send links elsewhere."""

from collections import defaultdict

from django.urls import URLResolver, get_resolver


def named_views(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from named_views(pattern.url_patterns, inner)
        elif pattern.name:
            yield f"{namespace}{pattern.name}", pattern.callback


def test_no_two_views_share_a_url_name():
    views = defaultdict(set)
    for name, view in named_views(get_resolver().url_patterns):
        views[name].add(view)
    assert views["home"] and views["admin:index"]
    assert {name for name, found in views.items() if len(found) > 1} == set()
