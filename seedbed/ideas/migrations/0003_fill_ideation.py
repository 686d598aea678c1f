"""Fill what the ideation schema adds for rows that existed before it: the four idea types,
every older challenge accepting all of them, public counters equal to the full ones (no idea
was confidential before), and submission times."""

from django.db import migrations
from django.db.models import F

TYPES = (
    ("product", "Product or service", "Something new or better that customers buy or use."),
    ("process", "Process", "A better way to make, deliver or support what we offer."),
    ("business_model", "Business model", "A new way to create, deliver or capture value."),
    ("continuous_improvement", "Continuous improvement",
     "A small, local improvement a team can make itself."),
)


def forwards(apps, schema_editor):
    IdeaType = apps.get_model("ideas", "IdeaType")
    Challenge = apps.get_model("ideas", "Challenge")
    Idea = apps.get_model("ideas", "Idea")
    for position, (code, name, description) in enumerate(TYPES):
        IdeaType.objects.get_or_create(code=code, defaults={
            "name": name, "description": description, "position": position})
    types = list(IdeaType.objects.all())
    for challenge in Challenge.objects.all():
        challenge.idea_types.set(types)
    Challenge.objects.update(public_idea_count=F("idea_count"))
    Idea.objects.filter(submitted_at__isnull=True).update(
        submitted_at=F("created_at"), last_activity_at=F("created_at"))


def backwards(apps, schema_editor):
    # The columns go away with 0002's reversal; nothing to undo here.
    return None


class Migration(migrations.Migration):
    dependencies = [("ideas", "0002_ideation")]
    operations = [migrations.RunPython(forwards, backwards)]
