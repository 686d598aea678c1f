"""Demo pipeline: a second version of the process-improvement template.

Runs after ``gates``: the process initiatives have already started (and moved) on version 1.
The innovation manager adds a food-safety sign-off to the pilot gate and publishes version 2,
so the template's history shows v1 superseded with its initiatives still on it, and v2 current
for every promotion from now on.
"""

from __future__ import annotations

from seedbed.pipeline.actions import templates as template_actions
from seedbed.pipeline.models import WorkflowTemplate


def build(ctx: dict) -> dict:
    manager = ctx["users"]["manager"]
    process = WorkflowTemplate.objects.get(code="process")
    draft = template_actions.start_version(
        manager, process,
        note="Pilot gate: Quality signs off the HACCP review before a change leaves the pilot "
             "line.")
    pilot = draft.stages.get(key="pilot")
    template_actions.add_gate_item(
        manager, pilot, kind="check",
        label="HACCP plan reviewed and signed off by Quality & Food Safety for the changed "
              "process")
    template_actions.update_stage(
        manager, pilot,
        gate_criteria="Pilot shows the improvement against the baseline, and the changed "
                      "process is as safe as the old one (HACCP review signed off).")
    version = template_actions.publish_version(manager, draft)
    return {"process_v2": version}
