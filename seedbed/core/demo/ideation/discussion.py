"""Co-creation in the demo: threads with replies and @mentions on the liveliest ideas, people
following ideas, and experts found by competency and invited by the ideas' authors.

Runs after the challenges and their ideas exist, through the actions (so the audit trail and
the counters tell the same story). Needs ``ctx["users"]`` (by person key; the role accounts
under their role names). Returns ``{"comments": int, "follows": int, "experts": int}``.
Every comment is written only by someone who may take part in the idea, and every mention
names someone who may see it (the action ignores anyone else anyway).
"""

from __future__ import annotations

from seedbed import policy
from seedbed.accounts.models import Competency
from seedbed.core.errors import StateConflict
from seedbed.ideas import actions
from seedbed.ideas import selectors as idea_selectors
from seedbed.ideas.models import Challenge, Idea
from seedbed.ideas.selectors import discussion as reads

# (opener, text, [(replier, text)]); {key} becomes an @mention of that person.
THREADS: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("claire",
     "I like this because it needs no capital. {priya}, would our current suppliers cope?",
     (("priya", "Two of the three could switch within a quarter; I'll ask the third. "
                "{femi} may want to check the unit cost before we promise anything."),
      ("femi", "Happy to. If the price gap is under 2p a pack, the waste levy savings cover "
               "it in the first year."),
      (policy.CONTRIBUTOR, "On the Leeds soup line the changeover would be a half shift. "
                           "{dan} knows the rota better than I do."))),
    ("aisha",
     "Whatever we change, the allergen labelling must stay legible after a week in the "
     "chiller. {evaluator}, could your team run a quick smudge test?",
     ((policy.EVALUATOR, "Yes, we can do it alongside the shelf-life trial next month."),)),
    ("ben",
     "We tried something close to this in 2021 and dropped it for cost. Worth a fresh look "
     "now energy prices have moved. {manager}, is there budget for a small pilot?",
     ((policy.MANAGER, "There is room in the Product Development envelope. Write up a "
                       "two-week test plan and I'll take it to the next review."),
      ("ben", "Will do, thanks. {chloe}, fancy running the tasting panel?"),
      ("chloe", "Definitely, I'll book the sensory room."))),
)

# (idea author key or None for the idea's own author, competency, message)
EXPERT_ASKS: tuple[tuple[str, str], ...] = (
    ("Packaging engineering", "You know the tray and film suppliers; would this survive a "
                              "real line?"),
    ("Financial modelling", "Could you sanity-check the payback before we pitch it?"),
    ("Sensory science", "We need to know whether customers would taste the difference."),
)


def _mention(text: str, users: dict) -> str:
    names = {key: "@" + reads.handle_of(person) for key, person in users.items()}
    return text.format(**names)


def _takes_part(user, idea: Idea) -> bool:
    return policy.can(user, "idea.contribute") and reads.may_see_idea(user, idea)


def _liveliest_ideas(count: int) -> list[Idea]:
    open_challenges = Challenge.objects.filter(status=Challenge.Status.OPEN)
    return list(idea_selectors.listed(Idea.objects.filter(
        challenge__in=open_challenges, confidential=False))
        .order_by("-vote_count", "-comment_count", "id")[:count])


def build(ctx: dict) -> dict:
    users = ctx["users"]
    made = {"comments": 0, "follows": 0, "experts": 0}
    ideas = _liveliest_ideas(len(THREADS))
    for idea, (opener, text, replies) in zip(ideas, THREADS, strict=False):
        if not _takes_part(users[opener], idea):
            continue
        top = actions.add_comment(users[opener], idea, body=_mention(text, users))
        made["comments"] += 1
        for replier, reply in replies:
            if _takes_part(users[replier], idea):
                actions.add_comment(users[replier], idea, body=_mention(reply, users),
                                    parent_id=top.pk)
                made["comments"] += 1
    # A partner takes part in the open-innovation challenge they are invited to.
    partner = users.get(policy.PARTNER)
    if partner is not None:
        shared = idea_selectors.listed(idea_selectors.visible_ideas(partner)).filter(
            challenge__status=Challenge.Status.OPEN).order_by("id").first()
        if shared is not None:
            actions.add_comment(partner, shared, body=(
                "Kestrel can supply trial reels of a mono-material film for this; we ran "
                "something similar for a bakery customer last spring."))
            made["comments"] += 1
    # People follow what matters to their work.
    for key in (policy.LEADER, policy.MANAGER, "irene", "priya"):
        for idea in ideas[:2]:
            person = users.get(key)
            if person is not None and _takes_part(person, idea):
                following_before = reads.is_following(person, idea)
                actions.follow_idea(person, idea)
                made["follows"] += 0 if following_before else 1
    # Authors ask colleagues with the right competency to help.
    for idea, (competency_name, message) in zip(ideas, EXPERT_ASKS, strict=False):
        competency = Competency.objects.filter(name=competency_name).first()
        inviter = idea.author
        if competency is None or not reads.can_invite_experts(inviter, idea):
            inviter = users[policy.MANAGER]
        candidates = reads.expert_candidates(inviter, idea, competency=competency, limit=1)
        if candidates:
            try:
                actions.invite_expert(inviter, idea, expert=candidates[0],
                                      competency=competency, message=message)
            except StateConflict:
                continue
            made["experts"] += 1
    return made
