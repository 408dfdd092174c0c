"""The search's match goes through a GIN index that the planner always prefers.

``vector @@ query`` is costed as one operator per row, but on a table scan (or when another
index finds the rows) it first reads each long vector back from TOAST: for a common word the
planner chose such plans, 10–20× slower than the GIN index (0003 answered with
``SET LOCAL enable_seqscan = off``, which did not help when the kind's index was chosen).
Now the search matches ``ikone_search_vector(vector)``: the vector itself, through a PL/pgSQL
identity function that declares what reading it costs, so a plan reading every row's vector
is costed as what it is and the expression's GIN index wins. The index matches exactly
(no recheck), so the function runs only on a lossy bitmap page.
"""

from django.db import migrations

FUNCTION = "ikone_search_vector"
OLD_INDEX = "search_document_vector_idx"
INDEX = "search_document_match_idx"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE OR REPLACE FUNCTION {FUNCTION}(vector tsvector) RETURNS tsvector"
        " LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE COST 1000"
        " AS $$ BEGIN RETURN vector; END $$"
    )
    schema_editor.execute(
        f"CREATE INDEX {INDEX} ON ikone_searchdocument USING gin ({FUNCTION}(vector))"
    )
    schema_editor.execute(f"DROP INDEX IF EXISTS {OLD_INDEX}")
    # A parallel bitmap scan looks cheaper (every row's declared cost split across workers)
    # but was 2-4x slower on the shared 2-core machine: the search reads one small table.
    schema_editor.execute("ALTER TABLE ikone_searchdocument SET (parallel_workers = 0)")
    # the expression's statistics (how many documents a word matches) come with ANALYZE
    schema_editor.execute("ANALYZE ikone_searchdocument")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE ikone_searchdocument RESET (parallel_workers)")
    schema_editor.execute(f"CREATE INDEX {OLD_INDEX} ON ikone_searchdocument USING gin (vector)")
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}(tsvector)")


class Migration(migrations.Migration):
    dependencies = [("ikone", "0003_search_document")]

    operations = [migrations.RunPython(forwards, backwards)]
