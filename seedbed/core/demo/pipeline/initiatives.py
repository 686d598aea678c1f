"""Demo pipeline: initiatives (see the package's PLAN).

For every PLAN row a colleague has the idea — in an open challenge that asks about the row's
focus area and takes its idea type, or else straight against the focus area — the innovation
manager reviews it (the light continuous-improvement path skips the review) and promotes it onto
the row's template with its lead, unit, horizon, objectives, focus area, confidentiality and a
projected value, and its team joins: the idea's author, colleagues from the unit doing it, a
sponsor from top management for the longer horizons, and the partner organisation's people where
the row names one. Two ideas about returnable crates are promoted merged into one more
initiative, beside the PLAN.

Everything goes through the actions, so links, idea statuses, notifications and the audit trail
agree. Needs ``ctx["users"]``, ``ctx["units"]``, ``ctx["focus_areas"]``, ``ctx["objectives"]``
and ``ctx["pipeline_plan"]``; uses ``ctx["challenges"]`` and ``ctx["demo_ideas"]`` when the
ideation demo made them. Adds ``ctx["initiatives"]`` (by PLAN slot) for the later modules.
"""

from __future__ import annotations

from decimal import Decimal

from seedbed import policy
from seedbed.accounts.models import User
from seedbed.ideas import actions as idea_actions
from seedbed.ideas import selectors as idea_selectors
from seedbed.ideas.models import Challenge, Idea, IdeaType
from seedbed.pipeline.actions.initiatives import add_team_member, promote_ideas
from seedbed.pipeline.models import Initiative, TeamMember, WorkflowTemplate
from seedbed.pipeline.seeds import install_templates
from seedbed.pipeline.selectors.initiatives import PROMOTABLE

# The yearly benefit each initiative was expected to bring when it was promoted (GBP).
PROJECTED = {
    "p_concept": 240000, "p_validate": 180000, "p_develop": 95000, "p_launch": 320000,
    "p_scale": 410000, "p_deployed": 60000, "p_stopped": 150000,
    "pr_diagnose": 42000, "pr_pilot": 55000, "pr_rollout": 70000, "pr_standardise": 25000,
    "pr_hold": 85000,
    "bm_explore": 600000, "bm_test": 220000, "bm_incubate": 48000, "bm_launch": 350000,
    "ci_assess": 6000, "ci_implement": 4500, "ci_verify": 9000, "ci_deployed": 18000,
}
REVIEWED = "Reviewed by the innovation team: a clear fit with the focus area; promoted."
# At most this many colleagues of the lead's unit join besides the author.
COLLEAGUES = 2
# The merged initiative: two colleagues had the same idea in different challenges.
CRATES_TITLE = "Returnable crates to our two biggest depots instead of shrink-wrapped cases"
CRATES_SUMMARY = """\
Two ideas, one loop: returnable crates instead of printed corrugated trays and shrink-wrap on
the soup route to Harwood's and to our two biggest retailer depots.

- the trucks come back two-thirds empty, so the return leg costs nothing extra
- one crate lasts about 200 trips; the pilot needs 1,800 crates
"""


def build(ctx: dict) -> dict:
    install_templates()
    templates = {t.code: t for t in WorkflowTemplate.objects.select_related("current")}
    types = {t.code: t for t in IdeaType.objects.all()}
    challenges = list(ctx.get("challenges", {}).values())
    for challenge in challenges:
        challenge.refresh_from_db()  # scheduled, opened or closed since they were made
    initiatives: dict[str, Initiative] = {}
    for row in ctx["pipeline_plan"]:
        idea = _idea_for(ctx, row, types, challenges)
        initiatives[row.slot] = _promote(ctx, row, idea, templates[row.template])
    ctx["initiatives"] = initiatives
    return {"initiatives": initiatives, "merged": _merged_crates(ctx, templates)}


def _takes_part(user: User, challenge: Challenge, area, idea_type: IdeaType) -> bool:
    """Whether ``user`` could send an idea of this type about ``area`` to ``challenge``, by the
    system's own rules."""
    return (challenge.accepts_ideas()
            and challenge.focus_areas.filter(pk=area.pk).exists()
            and challenge.idea_types.filter(pk=idea_type.pk).exists()
            and policy.can(user, "idea.contribute")
            and idea_selectors.visible_challenges(user).filter(pk=challenge.pk).exists())


def _idea_for(ctx: dict, row, types: dict[str, IdeaType],
              challenges: list[Challenge]) -> Idea:
    author, manager = ctx["users"][row.author], ctx["users"][policy.MANAGER]
    area, idea_type = ctx["focus_areas"][row.focus_area], types[row.template]
    challenge = next((c for c in challenges if _takes_part(author, c, area, idea_type)), None)
    if challenge is not None:
        idea = idea_actions.submit_idea(author, challenge, title=row.title,
                                        description=row.pitch, idea_type=idea_type,
                                        confidential=row.confidential)
    else:
        idea = idea_actions.create_idea(author, focus_area=area, title=row.title,
                                        description=row.pitch, idea_type=idea_type,
                                        confidential=row.confidential)
    if row.template != "continuous_improvement":
        idea = idea_actions.change_status(manager, idea, status=Idea.Status.UNDER_REVIEW,
                                          reason=REVIEWED)
    return idea


def _promote(ctx: dict, row, idea: Idea, template: WorkflowTemplate) -> Initiative:
    users, manager = ctx["users"], ctx["users"][policy.MANAGER]
    objectives = ctx.get("objectives", {})
    initiative = promote_ideas(
        manager, [idea], title=row.title, template=template, lead=users[row.lead],
        org_unit=ctx["units"][row.unit], horizon=row.horizon, confidential=row.confidential,
        objectives=[objectives[key] for key in row.objectives if key in objectives],
        focus_areas=[ctx["focus_areas"][row.focus_area]],
        projected_value=Decimal(PROJECTED.get(row.slot, 0)))
    _join_team(ctx, row, initiative)
    return initiative


def _colleagues(users: dict[str, User], unit, exclude: list[User]) -> list[User]:
    """Employees who take part (not those running the IMS) from the unit doing the work or,
    when it has nobody else, from the units around it; contributors first, so that the
    evaluators stay free to evaluate (team members may not)."""
    takers = [person for person in users.values()
              if person not in exclude and person.org_unit_id
              and policy.role_of(person) in (policy.EVALUATOR, policy.CONTRIBUTOR)]
    found = [person for person in takers if person.org_unit_id == unit.pk]
    if not found and unit.parent_id:
        found = [person for person in takers
                 if person.org_unit.path.startswith(unit.parent.path)]
    found.sort(key=lambda person: policy.role_of(person) != policy.CONTRIBUTOR)
    return found[:COLLEAGUES]


def _join_team(ctx: dict, row, initiative: Initiative) -> None:
    users, manager = ctx["users"], ctx["users"][policy.MANAGER]
    lead = users[row.lead]
    members = [users[row.author]] if row.author != row.lead else []
    members += _colleagues(users, ctx["units"][row.unit], [lead, *members])
    for person in members:
        add_team_member(manager, initiative, email=person.email, role=TeamMember.Role.MEMBER)
    if row.horizon != "h1":
        # Longer bets get a sponsor from top management.
        add_team_member(manager, initiative, email=users[policy.LEADER].email,
                        role=TeamMember.Role.SPONSOR)
    if row.partner:
        for person in User.objects.filter(partner_org__name=row.partner, is_active=True,
                                          role=policy.PARTNER).order_by("pk"):
            add_team_member(manager, initiative, email=person.email,
                            role=TeamMember.Role.PARTNER)


def _merged_crates(ctx: dict, templates: dict[str, WorkflowTemplate]) -> Initiative | None:
    """Dan's crate idea (waste challenge) and Joanna's (packaging challenge) say the same:
    the manager promotes them together. Skipped when the ideation demo did not make them."""
    users = ctx["users"]
    dans = ctx.get("demo_ideas", {}).get("crates")
    joannas = Idea.objects.filter(title=CRATES_TITLE, status__in=PROMOTABLE).first()
    if dans is None or joannas is None:
        return None
    dans.refresh_from_db()
    if dans.status not in PROMOTABLE:
        return None
    objectives = ctx.get("objectives", {})
    initiative = promote_ideas(
        users[policy.MANAGER], [dans, joannas], title="Returnable crate loop for depot deliveries",
        summary=CRATES_SUMMARY, template=templates["process"], lead=users["joanna"],
        org_unit=ctx["units"]["Supply Chain & Logistics"], horizon="h1",
        objectives=[objectives["plastic"]] if "plastic" in objectives else [],
        focus_areas=[ctx["focus_areas"]["packaging"]], projected_value=Decimal("38000"))
    for key in ("dan", "kasia"):
        add_team_member(users[policy.MANAGER], initiative, email=users[key].email)
    return initiative
