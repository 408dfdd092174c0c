"""The circular letters move to their own app (circulars.0001): out of the state only.

The tables stay where they are, with their names (the circulars models set ``db_table``), so
no row moves. Reversible: back, the models are in this app's state again.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0004_private_uploads'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(
                    model_name='circularrecipient',
                    name='circular',
                ),
                migrations.RemoveField(
                    model_name='circularattachment',
                    name='circular',
                ),
                migrations.RemoveField(
                    model_name='circularrecipient',
                    name='contact',
                ),
                migrations.RemoveField(
                    model_name='circularrecipient',
                    name='email',
                ),
                migrations.DeleteModel(
                    name='Circular',
                ),
                migrations.DeleteModel(
                    name='CircularAttachment',
                ),
                migrations.DeleteModel(
                    name='CircularRecipient',
                ),
            ],
        ),
    ]
