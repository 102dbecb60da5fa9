from zoneinfo import ZoneInfo

from django.db import migrations, models


def year_opened(apps, schema_editor):
    """Rounds stored before the year existed describe the year they were opened in."""
    Round = apps.get_model("collect", "Round")
    stockholm = ZoneInfo("Europe/Stockholm")
    for rnd in Round.objects.filter(year__isnull=True):
        Round.objects.filter(pk=rnd.pk).update(year=rnd.opened_at.astimezone(stockholm).year)


class Migration(migrations.Migration):

    dependencies = [
        ('collect', '0003_audit_publish'),
    ]

    operations = [
        migrations.AddField(
            model_name='response',
            name='imported_at',
            field=models.DateTimeField(blank=True, help_text='When the submitted answers were imported from a file by an analyst or the command line (empty when submitted by the organisation).', null=True),
        ),
        migrations.AddField(
            model_name='round',
            name='year',
            field=models.PositiveSmallIntegerField(blank=True, help_text="The year the answers describe; the form's texts name it ({year}, {year_before}). Empty in rounds stored before it existed: the year opened.", null=True, verbose_name='avser år'),
        ),
        migrations.AlterField(
            model_name='response',
            name='submitted_at',
            field=models.DateTimeField(blank=True, help_text='When it was submitted; for imported answers the date the file gives, or empty when it gives none.', null=True),
        ),
        migrations.RunPython(year_opened, migrations.RunPython.noop),
    ]
