"""Ids beyond what a column can hold match nothing, on every database.

Django already answers `pk=2**64` (and `<`, `>`) without asking the database, since no row
can have such an id. Its `in` lookup, and `exact` and `in` on a foreign key, pass the number
on: PostgreSQL then finds nothing, but SQLite cannot bind an integer beyond 64 bits and raises
OverflowError, a 500 wherever an id comes from outside (the admin's actions and filters, a
form's choice of several rows, a list of ticked files). Here those lookups leave such numbers
out as well, so both databases give the same answer: no row has that id.
"""

from django.core.exceptions import EmptyResultSet
from django.db.models import ForeignObject, IntegerField
from django.db.models.expressions import ColPairs
from django.db.models.fields.related_lookups import RelatedExact, RelatedIn
from django.db.models.lookups import In


def _bounds(field, connection):
    """The (lowest, highest) value the column of `field` holds, following a foreign key to
    the field it points at; None for a column that does not hold integers."""
    while field.is_relation and getattr(field, "target_field", None) is not None:
        field = field.target_field
    if not isinstance(field, IntegerField):
        return None
    return connection.ops.integer_field_range(field.get_internal_type())


def _fits(value, bounds) -> bool:
    if not isinstance(value, int) or bounds is None:
        return True
    low, high = bounds
    return (low is None or value >= low) and (high is None or value <= high)


class _ValuesOutOfRangeLeftOut:
    """For `in`: values no row can have are left out (none left: nothing matches)."""

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value() and not isinstance(self.lhs, ColPairs):
            bounds = _bounds(self.lhs.output_field, connection)
            self.rhs = [value for value in self.rhs if _fits(value, bounds)]
        return super().process_rhs(compiler, connection)


class IntegerFieldIn(_ValuesOutOfRangeLeftOut, In):
    pass


class ForeignKeyIn(_ValuesOutOfRangeLeftOut, RelatedIn):
    pass


class ForeignKeyExact(RelatedExact):
    def process_rhs(self, compiler, connection):
        if not isinstance(self.lhs, ColPairs) and not _fits(
            self.rhs, _bounds(self.lhs.output_field, connection)
        ):
            raise EmptyResultSet
        return super().process_rhs(compiler, connection)


def register() -> None:
    IntegerField.register_lookup(IntegerFieldIn)
    ForeignObject.register_lookup(ForeignKeyIn)
    ForeignObject.register_lookup(ForeignKeyExact)
