"""Follow-ups carry their supervision's office, so office pages count open follow-ups from an index."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_office(apps, schema_editor):
    FollowUp = apps.get_model("programs", "FollowUp")
    Supervision = apps.get_model("clients", "Supervision")
    FollowUp.objects.update(office_id=Subquery(Supervision.objects.filter(pk=OuterRef("supervision_id")).values("office_id")[:1]))


class Migration(migrations.Migration):

    dependencies = [
        ('bapas', '0004_email_outbox'),
        ('clients', '0003_recidivism_event'),
        ('programs', '0005_enrolment_goal'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='followup',
            name='office',
            field=models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='bapas.office'),
        ),
        migrations.RunPython(copy_office, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='followup',
            name='office',
            field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='bapas.office'),
        ),
        migrations.AddField(
            model_name='historicalfollowup',
            name='office',
            field=models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='bapas.office'),
        ),
        migrations.AddIndex(
            model_name='followup',
            index=models.Index(condition=models.Q(('done_on__isnull', True)), fields=['office', 'due_date'], name='follow_up_open_by_office'),
        ),
    ]
