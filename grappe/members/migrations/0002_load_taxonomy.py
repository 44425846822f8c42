from django.db import migrations


def load(apps, schema_editor):
    from grappe.members.services.taxonomy import taxonomy_load

    taxonomy_load(apps=apps)


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
