from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q

from seedbed import policy
from seedbed.accounts.models import Competency, OrgUnit, User
from seedbed.audit.models import AuditEvent
from seedbed.audit.service import verify_chain
from seedbed.core.demo.bulk import BULK_VERB
from seedbed.ideas import selectors
from seedbed.ideas.models import Challenge, Comment, Idea, Vote

pytestmark = pytest.mark.django_db

MODELS = (OrgUnit, Competency, User, Challenge, Idea, Comment, Vote, AuditEvent)


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def assert_counters_exact() -> None:
    # A challenge counts its submitted ideas (not drafts, not ideas merged into another), and
    # separately those everyone may see (not confidential).
    counted = ~Q(ideas__status__in=("draft", "merged"))
    assert not Challenge.objects.annotate(n=Count("ideas", filter=counted)).exclude(
        idea_count=F("n")).exists()
    assert not Challenge.objects.annotate(
        n=Count("ideas", filter=counted & Q(ideas__confidential=False))).exclude(
        public_idea_count=F("n")).exists()
    # One relation per query: a Count() over two joined relations would multiply rows.
    assert not Idea.objects.annotate(n=Count("votes")).exclude(vote_count=F("n")).exists()
    assert not Idea.objects.annotate(n=Count("comments")).exclude(comment_count=F("n")).exists()


def test_demo_creates_one_account_per_role_with_the_documented_email():
    output = seed()

    for role in policy.ROLES:
        user = User.objects.get(email=f"{role}@demo.seedbed.test")
        assert user.role == role
        assert user.check_password("seedbed-demo")
        assert f"{role}@demo.seedbed.test" in output
    assert "seedbed-demo" in output
    assert "http://127.0.0.1:8000" in output


def test_demo_is_a_believable_mid_size_company():
    seed()

    assert 10 <= OrgUnit.objects.count() <= 15
    colleagues = User.objects.exclude(email__startswith=tuple(f"{r}@" for r in policy.ROLES))
    assert colleagues.count() >= 25
    assert not colleagues.filter(job_title="").exists()
    assert User.objects.filter(competencies__isnull=False).distinct().count() >= 25
    assert set(Challenge.objects.values_list("status", flat=True)) == {
        "draft", "scheduled", "open", "closed"}
    # Every challenge asks about the strategy ("why we ask"); open innovation invites partners.
    assert not Challenge.objects.filter(focus_areas__isnull=True).exists()
    assert Challenge.objects.filter(partner_orgs__isnull=False,
                                    status="open").exists()
    assert Challenge.objects.filter(voting_mode="tokens", status="open").exists()
    assert Challenge.objects.filter(custom_fields__isnull=False).exists()
    partner = User.objects.get(email="partner@demo.seedbed.test")
    assert selectors.visible_challenges(partner).filter(status="open").exists()
    assert Challenge.objects.filter(audience=Challenge.Audience.UNITS).exists()
    assert Idea.objects.count() >= 40
    assert Comment.objects.count() >= 40
    assert Vote.objects.count() >= 100
    assert_counters_exact()
    # The targeted challenge reaches its units and no one else below top management.
    targeted = Challenge.objects.get(audience=Challenge.Audience.UNITS)
    contributor = User.objects.get(email="contributor@demo.seedbed.test")  # Leeds Plant
    evaluator = User.objects.get(email="evaluator@demo.seedbed.test")  # Product Development

    assert selectors.visible_challenges(contributor).filter(pk=targeted.pk).exists()
    assert not selectors.visible_challenges(evaluator).filter(pk=targeted.pk).exists()


def test_every_demo_change_is_on_the_audit_trail_and_the_chain_verifies():
    seed()

    verbs = dict(AuditEvent.objects.values_list("verb").annotate(n=Count("id")))
    assert verbs["user.created"] == User.objects.count()
    assert verbs["org_unit.created"] == OrgUnit.objects.count()
    # Every idea was drafted or submitted through an action (a submitted draft has both).
    assert verbs["idea.submitted"] + verbs["idea.drafted"] >= Idea.objects.count()
    assert verbs["idea.submitted"] == Idea.objects.exclude(status="draft").count()
    assert verbs["comment.added"] == Comment.objects.count()
    # Votes are cast (and a few changed, withdrawn or dropped by a merge); each row has its event.
    assert verbs["vote.cast"] >= Vote.objects.count()
    assert verbs["challenge.closed"] == 1
    assert verify_chain().ok


def test_second_run_creates_nothing():
    seed()
    before = row_counts()

    output = seed()

    assert "demo organisation already present" in output
    assert row_counts() == before


def test_bulk_mode_sets_counters_exactly_equal_to_rows():
    seed("--ideas", "300")

    demo_ideas = Idea.objects.filter(author__email__endswith="@demo.seedbed.test").count()
    assert Idea.objects.count() - demo_ideas == 300
    assert User.objects.filter(email__endswith="@bulk.demo.seedbed.test").count() == 15
    assert Vote.objects.count() > 300  # about three per bulk idea, plus the demo's
    assert Comment.objects.count() > 300
    assert_counters_exact()
    assert AuditEvent.objects.filter(verb=BULK_VERB).count() == 1
    assert verify_chain().ok


def test_bulk_mode_twice_adds_nothing():
    seed("--ideas", "100")
    before = row_counts()

    output = seed("--ideas", "100")

    assert "bulk data already present (100 ideas)" in output
    assert row_counts() == before


def test_refuses_without_debug_or_force(settings):
    settings.DEBUG = False
    settings.TESTING = False

    with pytest.raises(CommandError, match="SEEDBED_DEBUG"):
        seed()
    assert not User.objects.exists()

    seed("--force")
    assert User.objects.filter(email="admin@demo.seedbed.test").exists()
