"""Topic keywords, and articles on the editors' desk, which Editors may add, change, delete and view."""

import django.db.models.deletion
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models


def grant_editors_the_desk(apps, schema_editor):
    """As 0002_editors_group does for the first models: create the permissions now, then grant them."""
    db = schema_editor.connection.alias
    app_config = apps.get_app_config("partnerships")
    app_config.models_module = True
    try:
        create_permissions(app_config, verbosity=0, using=db, apps=apps)
    finally:
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [f"{action}_deskdraft" for action in ("add", "change", "delete", "view")]
    permissions = Permission.objects.using(db).filter(content_type__app_label="partnerships", codename__in=codenames)
    group = Group.objects.using(db).filter(name="Editors").first()
    if group is not None:
        group.permissions.add(*permissions)


class Migration(migrations.Migration):

    dependencies = [
        ('partnerships', '0011_updated_at'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='topic',
            name='keywords',
            field=models.TextField(blank=True, help_text='Words that signal the topic in an article, in any language, separated by commas (havbruk, аквакультура, آبزی\u200cپروری); the desk proposes the topic where they occur.'),
        ),
        migrations.CreateModel(
            name='DeskDraft',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(help_text="The article's title, in its own language.", max_length=300)),
                ('text', models.TextField(help_text="The article's full text, as pasted.")),
                ('language', models.CharField(help_text="BCP 47 code of the article's language: no, en, fa, ru, ...", max_length=12)),
                ('date_written', models.CharField(blank=True, help_text='The publication date as the article writes it, e.g. 29.8.2019.', max_length=100)),
                ('url', models.URLField(blank=True, help_text='Where the article was published.', max_length=500)),
                ('publisher', models.CharField(blank=True, help_text='Who published it.', max_length=200)),
                ('choices', models.JSONField(blank=True, default=dict, help_text="The desk form's fields as the editor left them.")),
                ('created', models.DateTimeField(auto_now_add=True)),
                ('updated', models.DateTimeField(auto_now=True)),
                ('source', models.ForeignKey(blank=True, help_text='The source this article was saved as, once saved.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='desk_drafts', to='partnerships.source')),
                ('user', models.ForeignKey(blank=True, help_text='The editor who put the article on the desk.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='desk_drafts', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'article on the desk',
                'verbose_name_plural': 'articles on the desk',
                'ordering': ['-updated'],
            },
        ),
        migrations.RunPython(grant_editors_the_desk, migrations.RunPython.noop),
    ]
