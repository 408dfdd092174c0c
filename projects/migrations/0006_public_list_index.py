"""The public project list gets a partial index of its own rows (published public profiles,
newest update first): its count and its first page read that index instead of every
profile's row. It replaces the index on (visibility, status, updated_at, id)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0005_expertise_index"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="projectprofile", name="project_public_idx"),
        migrations.AddIndex(
            model_name="projectprofile",
            index=models.Index(
                condition=models.Q(
                    ("published_at__isnull", False),
                    ("status", "published"),
                    ("visibility", "public"),
                ),
                fields=["-updated_at", "-id"],
                name="project_public_listed_idx",
            ),
        ),
    ]
