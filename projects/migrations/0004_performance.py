from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0003_ask_consent"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="projectprofile",
            index=models.Index(fields=["-updated_at", "-id"], name="project_updated_idx"),
        ),
        migrations.AddIndex(
            model_name="projectprofile",
            index=models.Index(
                fields=["visibility", "status", "-updated_at", "-id"], name="project_public_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="projectprofile",
            index=models.Index(
                fields=["municipality", "-updated_at"], name="project_municipality_idx"
            ),
        ),
    ]
