"""Import and export in the demo: ideas from the Leeds night-shift improvement workshop, written
on sticky notes and typed into a spreadsheet by the innovation manager, come in through the CSV
import; then the manager exports the challenge for the monthly innovation meeting. Both leave
their trace in the audit trail ("challenge.ideas_imported", "challenge.exported").

Runs after the challenges and ideas are built. Needs ``ctx["users"]`` (by person key, as
seedbed/core/demo/people.py names them). Uses the first open, organisation-wide challenge whose
questions the rows answer (found in the database, so it does not depend on how the challenges
demo names its records). Returns ``{"challenge": …, "imported": [idea ids]}``.
"""

from __future__ import annotations

import csv
import io

from seedbed import policy
from seedbed.core.demo.people import PEOPLE
from seedbed.ideas.actions import transfer
from seedbed.ideas.models import Challenge

# (author's person key, title, description, tags)
WORKSHOP = (
    ("kasia", "Colour-coded scoops for each allergen",
     "On the soup line we use the same grey scoops for every recipe. A colour per allergen "
     "group (red for celery, blue for milk) would make a mix-up visible at a glance and cut "
     "the wash-down between recipes.", "allergens, food safety, soups"),
    ("dan", "Shift handover board next to the kettle line",
     "Handover notes get lost in the logbook. A whiteboard with three fixed headings "
     "(stoppages, quality holds, what the next shift must watch) would take five minutes and "
     "stop the 6am restart surprises.", "handover, leeds"),
    ("olu", "Switch off the spiral chiller fans between batches",
     "The fans run flat out during the 20-minute gaps between batches. A simple interlock "
     "with the infeed conveyor would save energy without touching the chilling profile. "
     "Needs a check with Quality on temperature logging.", "energy, chilling"),
)


def _rows_as_csv(type_code: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["title", "description", "author e-mail", "type", "tags"])
    for key, title, description, tags in WORKSHOP:
        writer.writerow([title, description, PEOPLE[key].address, type_code, tags])
    return buffer.getvalue().encode("utf-8")


def build(ctx: dict) -> dict:
    manager = ctx["users"][policy.MANAGER]
    candidates = Challenge.objects.filter(
        status=Challenge.Status.OPEN, audience=Challenge.Audience.ORGANISATION,
    ).order_by("created_at", "id")
    for challenge in candidates:
        codes = [t.code for t in challenge.idea_types.all() if t.active]
        code = "continuous_improvement" if "continuous_improvement" in codes else \
            (codes[0] if codes else "")
        data = _rows_as_csv(code)
        if not transfer.check_import(manager, challenge, data).ok:
            continue
        report = transfer.import_ideas(manager, challenge, data)
        transfer.export_challenge(manager, challenge, fmt="xlsx",
                                  base_url="http://127.0.0.1:8000/")
        return {"challenge": challenge, "imported": report.created}
    raise ValueError("demo content: no open, organisation-wide challenge takes the workshop "
                     "ideas")
