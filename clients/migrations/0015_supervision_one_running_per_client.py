from django.db import migrations, models
from django.db.models import Count, Q


def refuse_clients_with_two_running(apps, schema_editor):
    """The constraint cannot be added while a client has two running supervisions, and which one is
    wrong is for the office to say: name them, so they can be closed before migrating again."""
    Supervision = apps.get_model("clients", "Supervision")
    doubled = (Supervision.objects.filter(closed_on__isnull=True).values("client_id", "client__register_number", "office__name")
               .annotate(running=Count("pk")).filter(running__gt=1).order_by("office__name", "client__register_number"))
    if doubled:
        named = "; ".join(f"{row['office__name']}: {row['client__register_number']} ({row['running']})" for row in doubled[:50])
        raise RuntimeError(
            f"{len(doubled)} client(s) have more than one running supervision. Close all but one of each "
            f"(Pembimbingan → Akhiri), then migrate again: {named}")


class Migration(migrations.Migration):

    dependencies = [
        ('clients', '0014_document_file_purged_at'),
    ]

    operations = [
        migrations.RunPython(refuse_clients_with_two_running, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='supervision',
            constraint=models.UniqueConstraint(
                condition=Q(closed_on__isnull=True), fields=('client',), name='supervision_one_running_per_client',
                violation_error_message='Klien ini sudah punya pembimbingan yang berjalan.'),
        ),
    ]
