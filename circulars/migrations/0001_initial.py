"""The circular letters, until now in the members app, in their own app's state.

The tables already exist (members.0003_circulars) and keep their names: this migration only
adds the models to the state and hands the content types over (app label members ->
circulars), so the permissions granted to coordinator groups, the admin's log and the audit
trail keep pointing at the right type. Reversible.
"""

import circulars.models
import django.db.models.deletion
import ikone.storage
from django.conf import settings
from django.db import migrations, models

MODELS = ("circular", "circularattachment", "circularrecipient")


def _hand_over(apps, schema_editor, *, source, target):
    """Give the content types of MODELS the app label ``target``, keeping their ids."""
    from django.contrib.contenttypes.models import ContentType as LiveContentType

    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    db = schema_editor.connection.alias
    types = ContentType.objects.using(db)
    for model in MODELS:
        old = types.filter(app_label=source, model=model).first()
        if old is None:  # a fresh database: post_migrate creates the types afterwards
            continue
        stale = types.filter(app_label=target, model=model).first()
        if stale is not None:
            # created by post_migrate meanwhile (after migrating back with this code): what
            # points at it joins the old type; its permissions the old type has are dropped
            taken = Permission.objects.using(db).filter(content_type=old).values("codename")
            Permission.objects.using(db).filter(content_type=stale, codename__in=taken).delete()
            for relation in ContentType._meta.related_objects:
                if relation.many_to_many or relation.related_model is None:
                    continue
                name = relation.field.name
                relation.related_model._default_manager.using(db).filter(
                    **{name: stale}
                ).update(**{name: old})
            stale.delete()
        old.app_label = target
        old.save(update_fields=["app_label"])
    LiveContentType.objects.clear_cache()


def forward(apps, schema_editor):
    _hand_over(apps, schema_editor, source="members", target="circulars")


def backward(apps, schema_editor):
    _hand_over(apps, schema_editor, source="circulars", target="members")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('members', '0005_circulars_leave'),
        ('outbox', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('admin', '0003_logentry_add_action_flag_choices'),
        ('ikone', '0001_audit_entry'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Circular',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('subject', models.CharField(max_length=200, verbose_name='subject')),
                        ('body', models.TextField(help_text='Markdown: **bold**, *italic*, lists with -, links [text](url).', verbose_name='text')),
                        ('audience', models.CharField(choices=[('all', 'all contacts of member municipalities'), ('primary', 'primary contacts only'), ('kind', 'by kind of municipality'), ('district', 'by district'), ('topic', 'by topic of interest'), ('handpicked', 'hand-picked contacts')], default='all', max_length=20, verbose_name='audience')),
                        ('kinds', models.JSONField(blank=True, default=list, verbose_name='kinds of municipality')),
                        ('districts', models.JSONField(blank=True, default=list, verbose_name='districts')),
                        ('question', models.CharField(blank=True, max_length=300, verbose_name='reply question')),
                        ('answer_choices', models.CharField(blank=True, choices=[('', 'no question'), ('yes_no_maybe', 'yes / no / maybe'), ('custom', 'custom answers')], default='', max_length=20, verbose_name='answers')),
                        ('custom_answers', models.TextField(blank=True, help_text='One answer per line.', verbose_name='custom answers')),
                        ('allow_comment', models.BooleanField(default=True, verbose_name='allow a comment')),
                        ('closes_at', models.DateTimeField(blank=True, help_text='Until then recipients can give or change their answer.', null=True, verbose_name='answers close')),
                        ('scheduled_at', models.DateTimeField(blank=True, help_text='Empty: send at once.', null=True, verbose_name='send at')),
                        ('status', models.CharField(choices=[('draft', 'draft'), ('scheduled', 'scheduled'), ('sending', 'sending'), ('sent', 'sent')], default='draft', max_length=10, verbose_name='status')),
                        ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='sent')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                        ('contacts', models.ManyToManyField(blank=True, db_table='members_circular_contacts', related_name='handpicked_circulars', to='members.contact', verbose_name='hand-picked contacts')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                        ('sent_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='sent by')),
                        ('topics', models.ManyToManyField(blank=True, db_table='members_circular_topics', related_name='circulars', to='members.topic', verbose_name='topics')),
                    ],
                    options={
                        'verbose_name': 'circular letter',
                        'verbose_name_plural': 'circular letters',
                        'db_table': 'members_circular',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='CircularAttachment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('file', models.FileField(max_length=200, storage=ikone.storage.private_storage, upload_to=circulars.models.circular_upload_to, verbose_name='PDF file')),
                        ('original_name', models.CharField(blank=True, editable=False, max_length=150, verbose_name='file name')),
                        ('title', models.CharField(blank=True, max_length=150, verbose_name='title')),
                        ('circular', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attachments', to='circulars.circular', verbose_name='circular')),
                    ],
                    options={
                        'verbose_name': 'attachment',
                        'verbose_name_plural': 'attachments',
                        'db_table': 'members_circularattachment',
                        'ordering': ['pk'],
                    },
                ),
                migrations.CreateModel(
                    name='CircularRecipient',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('answer', models.CharField(blank=True, max_length=20, verbose_name='answer')),
                        ('comment', models.TextField(blank=True, verbose_name='comment')),
                        ('answered_at', models.DateTimeField(blank=True, null=True, verbose_name='answered')),
                        ('circular', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='recipients', to='circulars.circular', verbose_name='circular')),
                        ('contact', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='circular_receipts', to='members.contact', verbose_name='contact person')),
                        ('email', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='outbox.outboundemail', verbose_name='e-mail')),
                    ],
                    options={
                        'verbose_name': 'recipient',
                        'verbose_name_plural': 'recipients',
                        'db_table': 'members_circularrecipient',
                        'ordering': ['contact__last_name', 'contact__first_name'],
                        'constraints': [models.UniqueConstraint(fields=('circular', 'contact'), name='one_receipt_per_contact')],
                    },
                ),
            ],
        ),
        migrations.RunPython(forward, backward),
    ]
