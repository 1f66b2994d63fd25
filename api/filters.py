"""The API's filter backends."""

from rest_framework.filters import OrderingFilter


class StableOrderingFilter(OrderingFilter):
    """DRF's `?ordering=`, then the primary key: rows with equal values otherwise come in any
    order, so that paging through them could show one row twice and another never."""

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        if ordering and not {"pk", "id"} & {field.lstrip("-") for field in ordering}:
            ordering = [*ordering, "pk"]
        return ordering
