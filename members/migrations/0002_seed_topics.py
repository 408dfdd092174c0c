from django.db import migrations


def seed_topics(apps, schema_editor):
    from members.topics import NETWORK_TOPICS

    Topic = apps.get_model("members", "Topic")
    for position, (slug, name, description) in enumerate(NETWORK_TOPICS):
        Topic.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "position": position}
        )


def remove_topics(apps, schema_editor):
    from members.topics import NETWORK_TOPICS

    Topic = apps.get_model("members", "Topic")
    Topic.objects.filter(slug__in=[slug for slug, _name, _desc in NETWORK_TOPICS]).delete()


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]

    operations = [migrations.RunPython(seed_topics, remove_topics)]
