"""Query expressions and lookups the ORM does not write the way a database needs them."""

from __future__ import annotations

from django.db.models import BooleanField, Func, Subquery
from django.db.models.lookups import In

__all__ = ["InSubquery", "IntegerIn"]


class InSubquery(Func):
    """``column IN (subquery)`` as a condition, for one branch of an ``OR``.

    PostgreSQL turns ``IN (subquery)`` into a join only where it stands alone; under an
    ``OR`` it becomes a hashed subplan tested against every row of the table, whatever the
    indexes (a sequential scan that grows with the table). ``column = ANY(ARRAY(subquery))``
    is computed once and looked up in the column's index, combined with the other branches in
    a bitmap OR. SQLite and other databases plan the plain ``IN`` well and get it.

    ``InSubquery(F("project_id"), ProjectProfile.objects.filter(...).values("pk"))``
    """

    conditional = True
    output_field = BooleanField()
    arity = 2

    def __init__(self, column, queryset, **extra):
        super().__init__(column, Subquery(queryset), **extra)

    def _parts(self, compiler, connection):
        column, subquery = self.get_source_expressions()
        column_sql, column_params = compiler.compile(column)
        subquery_sql, subquery_params = compiler.compile(subquery)  # "(SELECT …)"
        return column_sql, subquery_sql, (*column_params, *subquery_params)

    def as_sql(self, compiler, connection, **extra_context):
        column_sql, subquery_sql, params = self._parts(compiler, connection)
        return f"{column_sql} IN {subquery_sql}", params

    def as_postgresql(self, compiler, connection, **extra_context):
        column_sql, subquery_sql, params = self._parts(compiler, connection)
        return f"{column_sql} = ANY(ARRAY{subquery_sql})", params


class IntegerIn(In):
    """``__in`` on an integer column without the values no row of it can hold.

    Django leaves out-of-range numbers out of ``exact``, ``gt``, ``lt`` and the like, but
    passes them on in ``in``: PostgreSQL then finds nothing, SQLite's driver raises
    ``OverflowError`` (a 500 where a form checks the ids it was sent, e.g. a multiple choice
    posted with ``topics=99999999999999999999``). Registered for ``IntegerField`` and its
    subclasses (the keys) in ``IkoneConfig.ready()``.
    """

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            try:
                low, high = connection.ops.integer_field_range(
                    self.lhs.output_field.get_internal_type()
                )
            except KeyError:  # a field of its own kind: the database's range is unknown
                low = high = None
            self.rhs = [value for value in self.rhs if _within(value, low, high)]
        return super().process_rhs(compiler, connection)


def _within(value, low: int | None, high: int | None) -> bool:
    if not isinstance(value, int):
        return True  # None (dropped by ``In``) or an expression: not ours to judge
    return (low is None or value >= low) and (high is None or value <= high)
