from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("collect", "0005_round_historical"),
    ]

    operations = [
        migrations.AddField(
            model_name="round",
            name="note_sv",
            field=models.TextField(
                blank=True,
                help_text="Said wherever the round's answers are shown (its pages, the public "
                "pages, the report's method section), e.g. that they are synthetic.",
                verbose_name="anmärkning om svaren (svenska)",
            ),
        ),
        migrations.AddField(
            model_name="round",
            name="note_en",
            field=models.TextField(
                blank=True,
                help_text="The note in English (empty: the Swedish note is shown).",
                verbose_name="anmärkning om svaren (engelska)",
            ),
        ),
    ]
