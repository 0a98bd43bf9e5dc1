"""The automatic weak-and-lax flags of computed periods were never the committee's decision: they become
candidates (Grade.weak_candidate); weak_lax now follows WeakDecision, of which there is none yet."""

from django.db import migrations
from django.db.models import F


def forwards(apps, schema_editor):
    Grade = apps.get_model("evaluation", "Grade")
    Grade.objects.filter(weak_lax=True).update(weak_candidate=F("weak_reasons"), weak_reasons=[], weak_lax=False)


def backwards(apps, schema_editor):
    Grade = apps.get_model("evaluation", "Grade")
    Grade.objects.exclude(weak_candidate=[]).update(weak_reasons=F("weak_candidate"), weak_lax=True)


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0005_weak_lax_decisions_and_plans")]
    operations = [migrations.RunPython(forwards, backwards)]
