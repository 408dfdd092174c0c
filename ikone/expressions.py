"""Query expressions the ORM does not write the way a database plans best."""

from __future__ import annotations

from django.db.models import BooleanField, Func, Subquery

__all__ = ["InSubquery"]


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
