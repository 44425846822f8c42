import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """The PostgreSQL table `directory_vector` (0002) enters Django's state, nothing in SQL."""

    dependencies = [("directory", "0003_directorywordset")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="DirectoryVector",
                    fields=[
                        (
                            "entry",
                            models.OneToOneField(
                                db_column="organisation_id",
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                primary_key=True,
                                related_name="+",
                                serialize=False,
                                to="directory.directoryentry",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "search vector",
                        "verbose_name_plural": "search vectors",
                        "db_table": "directory_vector",
                        "default_permissions": (),
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
