"""The four workflow templates every Seedbed starts with, as data (the migration
``0002_seed_templates`` and ``install_templates`` read it). They differ the way real ones do: a
full stage-gate path for products and services, a pilot-led path for processes, a
hypothesis-heavy path for business models and a light path for continuous improvement."""

from __future__ import annotations

L, M = "leader", "manager"
E = "evidence"

STANDARD_CRITERIA = (
    # key, name, description, weight, higher_is_better
    ("strategic_fit", "Strategic fit", "Serves an active focus area and an objective.", 3, True),
    ("value_potential", "Value potential", "Size of the benefit if it works.", 3, True),
    ("feasibility", "Feasibility", "Can we build and run it with what we have?", 2, True),
    ("risk", "Risk", "How much could go wrong (higher is riskier).", 2, False),
    ("effort", "Effort", "Money and time it needs (higher is more).", 1, False),
)
LIGHT_CRITERIA = (
    ("benefit", "Benefit", "Time, cost or quality gained for the team.", 2, True),
    ("ease", "Ease", "How easily the team can make the change itself.", 1, True),
)

# code, name, idea type code, description, criteria, stages; a stage is
# (key, name, phase, deciders, risk appetite, gate criteria, items); an item is
# (kind, label, rule) with kind "check" or "evidence".
TEMPLATES = (
    ("product", "Product or service", "product",
     "Stage-gate path for a new or better product or service: concept, validate with customers, "
     "develop, launch and scale.", STANDARD_CRITERIA, (
         ("concept", "Concept", "concept", [M], 90,
          "Clear customer problem tied to a focus area; worth validating.",
          (("check", "Problem and customer segment described", ""),
           (E, "At least one assumption recorded", "assumptions_recorded"),
           (E, "At least one evaluation submitted", "scorecard_submitted"))),
         ("validate", "Validate", "validate", [L], 50,
          "Critical assumptions tested with customers; a value case exists.",
          ((E, "One concluded experiment on each critical assumption", "experiment_per_critical"),
           ("check", "Customer interviews summarised", ""),
           (E, "Projected value recorded", "value_projected"))),
         ("develop", "Develop", "develop", [L], 30,
          "Solution built and piloted; resources and risks under control.",
          ((E, "Resources approved for this stage", "resources_approved"),
           (E, "Risks assessed", "risks_assessed"),
           (E, "Every high risk has a treatment", "high_risks_treated"),
           ("check", "Pilot plan agreed with operations", ""))),
         ("launch", "Launch", "deploy", [L], 20,
          "Launched to the first market; first indicators measured.",
          (("check", "Launch readiness review held", ""),
           (E, "Solution indicators measured", "indicators_measured"))),
         ("scale", "Scale", "deploy", [L], 15,
          "Value confirmed after launch; ready to become business as usual.",
          ((E, "Post-launch review recorded", "post_launch_review"),
           (E, "Solution indicators measured", "indicators_measured"))),
     )),
    ("process", "Process improvement", "process",
     "Diagnose a process, pilot the change in one place, roll it out and make it the standard.",
     STANDARD_CRITERIA, (
         ("diagnose", "Diagnose", "concept", [M], 80,
          "Current process measured; root cause understood.",
          (("check", "Baseline of the current process measured", ""),
           (E, "At least one assumption recorded", "assumptions_recorded"))),
         ("pilot", "Pilot", "validate", [M], 40,
          "Pilot shows the improvement against the baseline.",
          ((E, "One concluded experiment on each critical assumption", "experiment_per_critical"),
           (E, "Risks assessed", "risks_assessed"))),
         ("rollout", "Roll out", "develop", [L], 25,
          "Rolled out to every site with training and resources.",
          ((E, "Resources approved for this stage", "resources_approved"),
           ("check", "Training delivered to every affected team", ""))),
         ("standardise", "Standardise", "deploy", [M], 20,
          "New process documented and measured as business as usual.",
          ((E, "Solution indicators measured", "indicators_measured"),
           (E, "Post-launch review recorded", "post_launch_review"))),
     )),
    ("business_model", "Business model", "business_model",
     "Hypothesis-driven path for a new way to create or capture value: every block of the model "
     "is tested before money is committed.", STANDARD_CRITERIA, (
         ("explore", "Explore", "concept", [M], 90,
          "Business model sketched; the riskiest assumptions named.",
          ((E, "At least one assumption recorded", "assumptions_recorded"),
           (E, "At least one evaluation submitted", "scorecard_submitted"))),
         ("test", "Test the model", "validate", [L], 35,
          "Desirability, feasibility and viability each tested.",
          ((E, "One concluded experiment on each critical assumption", "experiment_per_critical"),
           (E, "Projected value recorded", "value_projected"),
           ("check", "Unit economics reviewed by finance", ""))),
         ("incubate", "Incubate", "develop", [L], 25,
          "Minimum viable business running with real customers.",
          ((E, "Resources approved for this stage", "resources_approved"),
           (E, "Every high risk has a treatment", "high_risks_treated"))),
         ("launch", "Launch", "deploy", [L], 20,
          "Launched as a venture or business line; value measured.",
          ((E, "Solution indicators measured", "indicators_measured"),
           (E, "Post-launch review recorded", "post_launch_review"))),
     )),
    ("continuous_improvement", "Continuous improvement", "continuous_improvement",
     "A light path for small improvements a team makes itself: assess, implement, verify.",
     LIGHT_CRITERIA, (
         ("assess", "Assess", "concept", [M], 80,
          "Worth doing and within the team's reach.",
          (("check", "Team lead agrees to make the change", ""),)),
         ("implement", "Implement", "develop", [M], 60,
          "Change made.",
          (("check", "Change made and explained to the team", ""),)),
         ("verify", "Verify", "deploy", [M], 50,
          "Improvement confirmed by measurement.",
          ((E, "Solution indicators measured", "indicators_measured"),)),
     )),
)


def install_templates(models: dict | None = None) -> int:
    """Create the templates that do not exist yet (by code), each with a published version 1,
    its stages, gate items and scorecard. ``models`` maps model names to (historical) model
    classes; by default the live ones. Returns how many were created."""
    from django.utils import timezone

    if models is None:
        from seedbed.ideas.models import IdeaType
        from seedbed.pipeline.models import (
            Criterion,
            GateItem,
            Scorecard,
            Stage,
            TemplateVersion,
            WorkflowTemplate,
        )
        models = {"IdeaType": IdeaType, "WorkflowTemplate": WorkflowTemplate,
                  "TemplateVersion": TemplateVersion, "Stage": Stage, "GateItem": GateItem,
                  "Scorecard": Scorecard, "Criterion": Criterion}
    created = 0
    now = timezone.now()
    for position, (code, name, type_code, description, criteria, stages) in enumerate(TEMPLATES):
        if models["WorkflowTemplate"].objects.filter(code=code).exists():
            continue
        idea_type = models["IdeaType"].objects.filter(code=type_code).first()
        if idea_type is not None and models["WorkflowTemplate"].objects.filter(
                idea_type=idea_type).exists():
            idea_type = None
        template = models["WorkflowTemplate"].objects.create(
            code=code, name=name, description=description, idea_type=idea_type,
            position=position)
        version = models["TemplateVersion"].objects.create(
            template=template, number=1, status="published", note="Seeded template.",
            published_at=now)
        template.current = version
        template.save(update_fields=["current"])
        for s_pos, (key, s_name, phase, deciders, appetite, gate, items) in enumerate(stages):
            stage = models["Stage"].objects.create(
                version=version, position=s_pos, key=key, name=s_name, phase=phase,
                gate_name=f"{s_name} gate", gate_criteria=gate, decider_roles=list(deciders),
                risk_appetite=appetite)
            for i_pos, (kind, label, rule) in enumerate(items):
                models["GateItem"].objects.create(stage=stage, position=i_pos, kind=kind,
                                                  label=label, rule=rule)
        scorecard = models["Scorecard"].objects.create(version=version, name=f"{name} scorecard",
                                                       blind=True)
        for c_pos, (c_key, c_name, c_text, weight, better) in enumerate(criteria):
            models["Criterion"].objects.create(
                scorecard=scorecard, key=c_key, name=c_name, description=c_text, weight=weight,
                min_score=1, max_score=5, higher_is_better=better, position=c_pos)
        created += 1
    return created
