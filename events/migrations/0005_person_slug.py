"""Speaker pages: each person gets the end of their page's address, made from
their name (« lluis-sanz-marco »; « -2 », « -3 »… for namesakes)."""

from django.db import migrations, models
from django.utils.text import slugify


def fill_slugs(apps, schema_editor):
    Person = apps.get_model("events", "Person")
    taken = set()
    for person in Person.objects.order_by("pk"):
        base = slugify(person.name)[:150] or "intervenant"
        slug, n = base, 2
        while slug in taken:
            slug = f"{base}-{n}"
            n += 1
        taken.add(slug)
        person.slug = slug
        person.save(update_fields=["slug"])


class Migration(migrations.Migration):
    dependencies = [("events", "0004_publish_permission")]

    operations = [
        migrations.AddField(
            model_name="person",
            name="slug",
            field=models.SlugField(default="", max_length=160, db_index=False),
            preserve_default=False,
        ),
        # Reversible: going back drops the column, and the slugs with it.
        migrations.RunPython(fill_slugs, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="person",
            name="slug",
            field=models.SlugField(
                help_text="La page de l'intervenant : /evenements/intervenants/<strong>lluis-sanz-marco</strong>/. "
                "Lettres sans accent, chiffres et tirets ; se remplit depuis le nom.",
                max_length=160,
                unique=True,
                verbose_name="fin de l'adresse",
            ),
        ),
    ]
