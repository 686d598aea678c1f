"""Evaluation through the pages and the API: scoring and its bad input, conflicts, assigning
(by hand and by competency), the scorecard editor, "my evaluations", the comparison, and the
pages' fixed query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from seedbed import policy
from seedbed.accounts.models import Competency, User
from seedbed.audit.models import AuditEvent
from seedbed.ideas import actions as idea_actions
from seedbed.pipeline.actions import evaluation as actions
from seedbed.pipeline.models import Criterion, Evaluation, Initiative, Score, TeamMember
from tests.support import api_call, assert_error_body, new_initiative

GOOD = {"strategic_fit": 5, "value_potential": 4, "feasibility": 3, "risk": 2, "effort": 1}
API = "/api/v1/pipeline"


def form_data(scores: dict, **extra) -> dict:
    return {**{f"score_{k}": v for k, v in scores.items()}, **extra}


def api_scores(scores: dict) -> list[dict]:
    return [{"criterion": k, "value": v} for k, v in scores.items()]


def person(name: str, role: str = policy.EVALUATOR, org_unit=None) -> User:
    return User.objects.create_user(name.lower().replace(" ", ".") + "@example.test", "x" * 12,
                                    full_name=name, role=role, org_unit=org_unit)


def tab(initiative) -> str:
    return reverse("pipeline:initiative_evaluation", args=[initiative.pk])


@pytest.fixture
def assigned(users, initiative) -> dict:
    """The evaluator and the leader evaluate the initiative; the leader has submitted."""
    mine, theirs = actions.assign_evaluators(users["manager"], initiative,
                                             [users["evaluator"], users["leader"]])
    actions.submit_evaluation(users["leader"], theirs, scores=GOOD, comment="Strong case.")
    return {"mine": mine, "theirs": theirs}


@pytest.fixture
def scorecard(users, challenge):
    return actions.create_challenge_scorecard(users["manager"], challenge, standard=True)


# --- The initiative's evaluation tab ----------------------------------------------------------


def test_evaluator_scores_through_the_tab_after_fixing_bad_input(client_for, users, initiative,
                                                                 assigned):
    c = client_for("evaluator")
    page = c.get(tab(initiative)).content.decode()
    assert 'name="score_strategic_fit"' in page and "blind review" in page
    assert "Strong case." not in page  # the leader's comment stays hidden until I submit

    url = reverse("pipeline:evaluation_submit", args=[assigned["mine"].pk])
    bad = form_data({**GOOD, "feasibility": 9, "effort": ""}, note_risk="n" * 501)
    r = c.post(url, bad)
    assert r.status_code == 400
    html = r.content.decode()
    assert "Ensure this value is less than or equal to 5." in html
    assert "This field is required." in html and "at most 500 characters" in html
    assert not Score.objects.filter(evaluation=assigned["mine"]).exists()

    r = c.post(url, form_data(GOOD, note_risk="Retailers pilot crates.", comment="Go on."))
    assert r.status_code == 302 and r["Location"] == tab(initiative)
    page = c.get(tab(initiative)).content.decode()
    assert "Strong case." in page and "Retailers pilot crates." in page
    assert "Leader Person" in page and 'name="score_strategic_fit"' not in page
    assert AuditEvent.objects.filter(verb="evaluation.submitted").count() == 2

    r = c.post(url, form_data(GOOD))
    assert r.status_code == 409 and "already submitted" in r.content.decode()


def test_conflict_of_interest_found_on_submission_shows_above_the_form(client_for, users,
                                                                       initiative, assigned):
    TeamMember.objects.create(initiative=initiative, user=users["evaluator"],
                              added_by=users["manager"])
    r = client_for("evaluator").post(
        reverse("pipeline:evaluation_submit", args=[assigned["mine"].pk]), form_data(GOOD))
    assert r.status_code == 400
    assert '<div class="form-errors" role="alert">' in r.content.decode()
    assert "You cannot evaluate your own work." in r.content.decode()
    assert not Score.objects.filter(evaluation=assigned["mine"]).exists()


def test_conflict_declared_through_the_page(client_for, users, initiative, assigned):
    c = client_for("evaluator")
    url = reverse("pipeline:evaluation_conflict", args=[assigned["mine"].pk])
    r = c.post(url, {"note": ""})
    assert r.status_code == 400 and "This field is required." in r.content.decode()
    r = c.post(url, {"note": "I used to work for the crate supplier."})
    assert r.status_code == 302
    assigned["mine"].refresh_from_db()
    assert assigned["mine"].status == Evaluation.Status.CONFLICT
    html = client_for("manager").get(tab(initiative)).content.decode()
    assert "I used to work for the crate supplier." in html


def test_team_sees_the_aggregate_but_not_who_scored_what(client_for, initiative, assigned):
    html = client_for("contributor").get(tab(initiative)).content.decode()
    assert "Overall" in html and "79.55" in html
    assert "Strong case." not in html and "Leader Person" not in html
    assert "you see the aggregate" in html


def test_manager_assigns_by_suggestion_and_by_address(client_for, users, initiative, org):
    food = Competency.objects.create(name="Food safety")
    expert = person("Fiona Fresh", org_unit=org["sales"])
    expert.competencies.add(food)
    users["contributor"].competencies.add(food)  # on the team: never suggested
    c = client_for("manager")
    page = c.get(tab(initiative), {"competency": food.pk}).content.decode()
    assert "Fiona Fresh" in page and "1 match: Food safety" in page
    assert "Contributor Person</label>" not in page
    partial = c.get(tab(initiative), {"competency": food.pk}, headers={"HX-Request": "true"})
    assert partial.content.decode().lstrip().startswith('<div id="suggestions">')

    assign_url = reverse("pipeline:initiative_assign", args=[initiative.pk])
    r = c.post(assign_url, {"emails": "contributor@example.test"})
    assert r.status_code == 400 and "cannot evaluate their own work" in r.content.decode()
    r = c.post(assign_url, {"emails": "nobody@example.test"})
    assert r.status_code == 400 and "No colleague has the address" in r.content.decode()
    r = c.post(assign_url, {})
    assert r.status_code == 400
    assert not Evaluation.objects.exists()
    r = c.post(assign_url, {"evaluator_ids": [expert.pk],
                            "emails": "Evaluator@example.test, leader@example.test"})
    assert r.status_code == 302
    assert set(Evaluation.objects.values_list("evaluator__full_name", flat=True)) == {
        "Fiona Fresh", "Evaluator Person", "Leader Person"}
    assert AuditEvent.objects.filter(verb="evaluation.assigned").count() == 1

    withdrawn = Evaluation.objects.get(evaluator=expert)
    r = c.post(reverse("pipeline:evaluation_withdraw", args=[withdrawn.pk]))
    assert r.status_code == 302 and not Evaluation.objects.filter(pk=withdrawn.pk).exists()


# --- Ideas and challenge scorecards -----------------------------------------------------------


def test_scorecard_editor_and_idea_evaluation(client_for, users, challenge, idea):
    manager = client_for("manager")
    page = manager.get(reverse("pipeline:idea_evaluation", args=[idea.pk])).content.decode()
    assert "No scorecard" in page and "Create the challenge's scorecard" in page
    assert reverse("pipeline:challenge_scorecard", args=[challenge.pk]) in manager.get(
        reverse("ideas:challenge_detail", args=[challenge.pk])).content.decode()
    assert reverse("pipeline:challenge_scorecard", args=[challenge.pk]) not in client_for(
        "contributor").get(reverse("ideas:challenge_detail", args=[challenge.pk])).content.decode()

    url = reverse("pipeline:challenge_scorecard", args=[challenge.pk])
    assert manager.post(url, {"name": "", "standard": "on"}).status_code == 400
    r = manager.post(url, {"name": "Packaging ideas", "blind": "on", "standard": "on"})
    assert r.status_code == 302
    card = challenge.scorecard
    assert card.name == "Packaging ideas" and card.criteria.count() == 5

    new = reverse("pipeline:scorecard_criterion_create", args=[challenge.pk])
    r = manager.post(new, {"name": "Recyclability", "key": "Bad Key", "weight": "0",
                           "min_score": "5", "max_score": "1"})
    assert r.status_code == 400
    html = r.content.decode()
    assert "Ensure this value is greater than or equal to 0.01." in html
    r = manager.post(new, {"name": "Recyclability", "key": "Bad Key", "weight": "2",
                           "min_score": "5", "max_score": "1"})
    assert r.status_code == 400
    assert "lower-case letters" in r.content.decode() and "must be above the lowest" in \
        r.content.decode()
    assert card.criteria.count() == 5
    r = manager.post(new, {"name": "Recyclability", "weight": "2", "min_score": "1",
                           "max_score": "5", "higher_is_better": "on"})
    assert r.status_code == 302
    recyclability = card.criteria.get(key="recyclability")
    edit = reverse("pipeline:scorecard_criterion_edit", args=[recyclability.pk])
    assert manager.get(edit).status_code == 200
    r = manager.post(edit, {"name": "Recyclable at kerbside", "key": "recyclability",
                            "weight": "2.5", "min_score": "1", "max_score": "5"})
    assert r.status_code == 302
    recyclability.refresh_from_db()
    assert recyclability.weight == 2.5 and recyclability.higher_is_better is False
    r = manager.post(reverse("pipeline:scorecard_criterion_remove", args=[recyclability.pk]))
    assert r.status_code == 302 and card.criteria.count() == 5

    r = manager.post(reverse("pipeline:idea_assign", args=[idea.pk]),
                     {"emails": "evaluator@example.test"})
    assert r.status_code == 302
    evaluation = Evaluation.objects.get(idea=idea)
    ev = client_for("evaluator")
    page = ev.get(reverse("pipeline:idea_evaluation", args=[idea.pk])).content.decode()
    assert 'name="score_feasibility"' in page
    r = ev.post(reverse("pipeline:evaluation_submit", args=[evaluation.pk]), form_data(GOOD))
    assert r.status_code == 302
    assert r["Location"] == reverse("pipeline:idea_evaluation", args=[idea.pk])
    page = ev.get(r["Location"]).content.decode()
    assert "79.55" in page and "Evaluator Person" in page


def test_template_criteria_are_not_edited_on_the_challenge_pages(client_for, templates):
    criterion = templates["product"].current.scorecard.criteria.first()
    url = reverse("pipeline:scorecard_criterion_edit", args=[criterion.pk])
    assert client_for("manager").get(url).status_code == 404


# --- My evaluations ---------------------------------------------------------------------------


def test_my_evaluations_lists_what_waits_first(client_for, users, initiative, assigned, idea,
                                               scorecard):
    actions.assign_evaluators(users["manager"], idea, [users["leader"]])
    html = client_for("leader").get(reverse("pipeline:my_evaluations")).content.decode()
    assert html.index("To evaluate") < html.index("Submitted")
    assert reverse("pipeline:idea_evaluation", args=[idea.pk]) in html
    assert reverse("pipeline:initiative_evaluation", args=[initiative.pk]) in html
    body = api_call(client_for("leader"), "get", f"{API}/evaluations/mine").json()
    assert [i["status"] for i in body["items"]] == ["assigned", "submitted"]
    assert body["items"][0]["subject"] == "idea" and body["count"] == 2


# --- Comparison -------------------------------------------------------------------------------


@pytest.fixture
def two(users, initiative, assigned, challenge):
    """A second initiative (a business model, not confidential) scored by two people."""
    idea = idea_actions.submit_idea(users["evaluator"], challenge, title="Crate rental",
                                    description="Rent crates to other food makers.")
    other = new_initiative(users["manager"], idea, template="business_model",
                           lead=users["leader"])
    first, second = actions.assign_evaluators(users["manager"], other,
                                              [users["admin"], users["contributor"]])
    actions.submit_evaluation(users["admin"], first, scores={**GOOD, "risk": 5})
    actions.submit_evaluation(users["contributor"], second, scores={**GOOD, "risk": 1})
    return other


def test_compare_two_initiatives_side_by_side(client_for, initiative, two):
    url = reverse("pipeline:compare")
    r = client_for("manager").get(url, {"initiatives": [initiative.pk, two.pk]})
    assert r.status_code == 200
    html = r.content.decode()
    assert initiative.title in html and two.title in html
    assert "Strategic fit" in html and "Concept stage" in html and "Explore stage" in html
    # Risk 5 and 1 on a 5-point scale: no agreement; the other criteria agree fully.
    assert "agreement-low" in html and "agreement-high" in html
    body = api_call(client_for("auditor"), "get",
                    f"{API}/compare?initiative_ids={initiative.pk}&initiative_ids={two.pk}").json()
    risk = next(c for c in body["columns"][1]["aggregate"]["criteria"] if c["criterion"] == "risk")
    assert risk["sd"] == pytest.approx(2 ** 1.5) and risk["rwg"] == 0.0
    assert body["columns"][0]["aggregate"]["n"] == 1
    assert [c["key"] for c in body["criteria"]][:2] == ["strategic_fit", "value_potential"]


def test_compare_respects_blind_review_and_visibility(client_for, users, initiative, assigned,
                                                      two):
    url = reverse("pipeline:compare")
    both = {"initiatives": [initiative.pk, two.pk]}
    html = client_for("evaluator").get(url, both).content.decode()
    assert "hidden" in html and "blind review" in html
    body = api_call(client_for("evaluator"), "get",
                    f"{API}/compare?initiative_ids={initiative.pk}&initiative_ids={two.pk}").json()
    assert body["columns"][0]["aggregate"] is None and body["columns"][0]["hidden_reason"]
    assert body["columns"][1]["aggregate"]["n"] == 2
    assert client_for("partner").get(url, both).status_code == 404
    Initiative.objects.filter(pk=two.pk).update(confidential=True)
    assert client_for("auditor").get(url, both).status_code == 404
    query = f"{API}/compare?initiative_ids={initiative.pk}&initiative_ids={two.pk}"
    assert_error_body(api_call(client_for("auditor"), "get", query), 404)


def test_compare_refuses_bad_choices(client_for, initiative, idea, two):
    c = client_for("manager")
    url = reverse("pipeline:compare")
    assert c.get(url).status_code == 200
    # One alone is ticked in the picker, ready to add others (the evaluation page links so).
    r = c.get(url, {"initiatives": [initiative.pk]})
    assert r.status_code == 200
    assert f'value="{initiative.pk}" checked' in r.content.decode()
    assert "compare-table" not in r.content.decode()
    r = c.get(url, {"initiatives": [initiative.pk, two.pk], "ideas": [idea.pk]})
    assert r.status_code == 400 and "not both" in r.content.decode()
    assert c.get(url, {"initiatives": [initiative.pk, "x"]}).status_code == 404
    ids = "&".join(f"initiative_ids={n}" for n in range(1, 9))
    assert_error_body(api_call(c, "get", f"{API}/compare?{ids}"), 422, "invalid")
    assert_error_body(api_call(c, "get", f"{API}/compare?initiative_ids={initiative.pk}"), 422)
    assert api_call(c, "get", f"{API}/compare").json()["columns"] == []
    assert_error_body(api_call(c, "get", f"{API}/compare?initiative_ids={2**63}"
                                         f"&initiative_ids=1"), 404)


def test_compare_ideas_of_one_challenge(client_for, users, challenge, idea, scorecard):
    other = idea_actions.submit_idea(users["admin"], challenge, title="Deposit trays",
                                     description="A deposit on every tray.")
    for subject, scores in ((idea, GOOD), (other, {**GOOD, "value_potential": 2})):
        evaluation, = actions.assign_evaluators(users["manager"], subject, [users["leader"]])
        actions.submit_evaluation(users["leader"], evaluation, scores=scores)
    c = client_for("contributor")
    url = reverse("pipeline:compare")
    picker = c.get(url, {"challenge": challenge.pk}).content.decode()
    assert 'name="ideas"' in picker and "Deposit trays" in picker
    html = c.get(url, {"challenge": challenge.pk, "ideas": [idea.pk, other.pk]}).content.decode()
    assert "Compare ideas of “Cut packaging waste”" in html and "Value potential" in html
    body = api_call(c, "get", f"{API}/compare?idea_ids={idea.pk}&idea_ids={other.pk}").json()
    assert body["kind"] == "ideas" and body["challenge_id"] == challenge.pk
    assert [col["aggregate"]["mean"] for col in body["columns"]] == [pytest.approx(79.55),
                                                                     pytest.approx(65.91, 0.01)]


# --- API --------------------------------------------------------------------------------------


def test_api_scoring_bad_input_then_success_then_409(client_for, users, initiative, assigned):
    c = client_for("evaluator")
    url = f"{API}/evaluations/{assigned['mine'].pk}/submit"
    error = assert_error_body(api_call(c, "post", url, {
        "scores": api_scores({**GOOD, "feasibility": 7})}), 422, "invalid")
    assert error["fields"]["scores.feasibility"] == [
        "Give Feasibility a whole number from 1 to 5."]
    missing = {k: v for k, v in GOOD.items() if k != "effort"}
    error = assert_error_body(api_call(c, "post", url, {"scores": api_scores(missing)}), 422)
    assert "scores.effort" in error["fields"]
    twice = [*api_scores(GOOD), {"criterion": "risk", "value": 3}]
    assert_error_body(api_call(c, "post", url, {"scores": twice}), 422)
    assert_error_body(api_call(c, "post", url, {"scores": [{"criterion": "risk",
                                                            "value": 2.5}]}), 422)
    assert_error_body(api_call(c, "post", url, b"{not json"), 400, "malformed")
    assert not Score.objects.filter(evaluation=assigned["mine"]).exists()
    # Only the evaluator: the leader cannot even see that this evaluation exists.
    assert_error_body(api_call(client_for("leader"), "post", url,
                               {"scores": api_scores(GOOD)}), 404)
    body = api_call(c, "post", url, {"scores": [{"criterion": k, "value": v, "note": "ok"}
                                                for k, v in GOOD.items()],
                                     "comment": "Fine."}).json()
    assert body["status"] == "submitted" and body["weighted"] == 79.55
    assert {s["criterion"]: s["value"] for s in body["scores"]} == GOOD
    assert_error_body(api_call(c, "post", url, {"scores": api_scores(GOOD)}), 409,
                      "already_submitted")


def test_api_conflict_of_interest_on_assign_and_submit(client_for, users, initiative):
    c = client_for("manager")
    url = f"{API}/initiatives/{initiative.pk}/evaluators"
    error = assert_error_body(api_call(c, "post", url, {
        "evaluator_ids": [users["contributor"].pk]}), 422)
    assert "cannot evaluate their own work" in error["fields"]["evaluator_ids"][0]
    assert_error_body(api_call(c, "post", url, {"evaluator_ids": [2**62]}), 422)
    made = api_call(c, "post", url, {"evaluator_ids": [users["evaluator"].pk]})
    assert made.status_code == 201 and made.json()[0]["status"] == "assigned"
    TeamMember.objects.create(initiative=initiative, user=users["evaluator"],
                              added_by=users["manager"])
    error = assert_error_body(api_call(client_for("evaluator"), "post",
                                       f"{API}/evaluations/{made.json()[0]['id']}/submit",
                                       {"scores": api_scores(GOOD)}), 422)
    assert error["fields"]["__all__"] == [actions.COI_MESSAGE]


def test_api_board_follows_blind_review(client_for, users, initiative, assigned):
    url = f"{API}/initiatives/{initiative.pk}/evaluation"
    mine = api_call(client_for("evaluator"), "get", url).json()
    assert mine["scores_visible"] is False and mine["aggregate"] is None
    assert mine["evaluations"] == [] and mine["my_evaluation"]["status"] == "assigned"
    assert mine["counts"] == {"assigned": 1, "submitted": 1, "conflict": 0, "total": 2}
    leader = api_call(client_for("leader"), "get", url).json()
    assert leader["individual_visible"] is True and len(leader["evaluations"]) == 2
    assert leader["aggregate"]["criteria"][0]["agreement"] == "n/a"
    team = api_call(client_for("contributor"), "get", url).json()
    assert team["aggregate"]["n"] == 1 and team["evaluations"] == []
    assert_error_body(api_call(client_for("partner"), "get", url), 404)


def test_api_challenge_scorecard_and_criteria(client_for, users, challenge, idea):
    c = client_for("manager")
    url = f"{API}/challenges/{challenge.pk}/scorecard"
    assert_error_body(api_call(c, "get", url), 404)
    made = api_call(c, "put", url, {"standard_criteria": True})
    assert made.status_code == 201 and len(made.json()["criteria"]) == 5
    renamed = api_call(c, "put", url, {"name": "Packaging scorecard", "blind": False})
    assert renamed.status_code == 200 and renamed.json()["blind"] is False
    error = assert_error_body(api_call(c, "post", f"{url}/criteria", {
        "name": "Novelty", "key": "novelty", "min_score": 3, "max_score": 2}), 422)
    assert list(error["fields"]) == ["max_score"]
    assert_error_body(api_call(c, "post", f"{url}/criteria", {"name": "N", "weight": 0}), 422)
    added = api_call(c, "post", f"{url}/criteria", {"name": "Novelty", "weight": "1.5"}).json()
    assert added["key"] == "novelty" and added["position"] == 5
    patched = api_call(c, "patch", f"{API}/scorecard-criteria/{added['id']}",
                       {"description": "New to the market?"}).json()
    assert patched["description"] == "New to the market?" and patched["weight"] == "1.50"
    left = api_call(c, "delete", f"{API}/scorecard-criteria/{added['id']}").json()
    assert len(left["criteria"]) == 5
    evaluation, = actions.assign_evaluators(users["manager"], idea, [users["evaluator"]])
    actions.submit_evaluation(users["evaluator"], evaluation, scores=GOOD)
    fit = Criterion.objects.get(scorecard__challenge=challenge, key="strategic_fit")
    assert_error_body(api_call(c, "patch", f"{API}/scorecard-criteria/{fit.pk}",
                               {"max_score": 10}), 409, "criterion_scored")
    assert_error_body(api_call(c, "delete", f"{API}/scorecard-criteria/{fit.pk}"), 409)
    seen = api_call(client_for("contributor"), "get", url).json()
    assert seen["name"] == "Packaging scorecard"
    assert_error_body(api_call(client_for("partner"), "get", url), 404)


def test_api_suggestions_conflict_and_withdraw(client_for, users, initiative, org):
    food = Competency.objects.create(name="Food safety")
    expert = person("Fiona Fresh", org_unit=org["sales"])
    expert.competencies.add(food)
    c = client_for("manager")
    found = api_call(c, "get", f"{API}/initiatives/{initiative.pk}/evaluator-suggestions"
                               f"?competency_ids={food.pk}").json()
    assert found == [{"person": {"id": expert.pk, "full_name": "Fiona Fresh"}, "job_title": "",
                      "org_unit": "Sales", "match_count": 1, "competencies": ["Food safety"]}]
    assert api_call(c, "get", f"{API}/initiatives/{initiative.pk}/"
                              "evaluator-suggestions").json() == []
    made = api_call(c, "post", f"{API}/initiatives/{initiative.pk}/evaluators",
                    {"evaluator_ids": [expert.pk, users["evaluator"].pk]}).json()
    assert [e["evaluator"]["id"] for e in made] == [expert.pk, users["evaluator"].pk]
    conflict = api_call(client_for("evaluator"), "post",
                        f"{API}/evaluations/{made[1]['id']}/conflict",
                        {"note": "I sold them the crates."})
    assert conflict.json()["status"] == "conflict"
    assert_error_body(api_call(c, "delete", f"{API}/evaluations/{made[1]['id']}"), 409,
                      "evaluation_closed")
    gone = api_call(c, "delete", f"{API}/evaluations/{made[0]['id']}").json()
    assert gone == {"id": made[0]["id"], "withdrawn": True}
    assert_error_body(api_call(c, "delete", f"{API}/evaluations/{made[0]['id']}"), 404)


def test_full_api_bodies_keep_to_the_documented_schema(client_for, users, initiative,
                                                       assigned, two, org):
    """The schema suite calls each operation once on small data; here the bodies carry
    aggregates, several columns and suggestions, and must still match the document."""
    from tests.test_api_schema import Contract

    contract = Contract(Client().get("/api/v1/openapi.json").json())
    food = Competency.objects.create(name="Food safety")
    person("Fiona Fresh", org_unit=org["sales"]).competencies.add(food)
    actions.submit_evaluation(users["evaluator"], assigned["mine"], scores=GOOD)
    calls = [
        ("manager", f"{API}/initiatives/{initiative.pk}/evaluation"),
        ("contributor", f"{API}/initiatives/{two.pk}/evaluation"),
        ("leader", f"{API}/compare?initiative_ids={initiative.pk}&initiative_ids={two.pk}"),
        ("manager", f"{API}/initiatives/{initiative.pk}/evaluator-suggestions"
                    f"?competency_ids={food.pk}"),
        ("evaluator", f"{API}/evaluations/mine"),
    ]
    for role, url in calls:
        response = api_call(client_for(role), "get", url)
        assert response.status_code == 200, url
        contract.check("get", url, response)
    assert api_call(client_for("manager"), "get", calls[0][1]).json()["aggregate"]["rwg"] == 1.0


# --- Fixed query counts -----------------------------------------------------------------------


def evaluate_many(manager, subject, n: int, start: int) -> None:
    """n more evaluators on ``subject``; all but one submit (one waits, one declared a
    conflict when there are at least three)."""
    people = [person(f"Rater {start + k}") for k in range(n)]
    made = actions.assign_evaluators(manager, subject, people)
    for k, evaluation in enumerate(made):
        if k == 0:
            continue
        if k == 1 and n >= 3:
            actions.declare_conflict(evaluation.evaluator, evaluation, note="Related.")
            continue
        actions.submit_evaluation(evaluation.evaluator, evaluation,
                                  scores={**GOOD, "risk": 1 + k % 5})


def count(client: Client, url: str, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200, response.content[:300]
    return len(ctx)


def test_pages_cost_a_fixed_number_of_queries(users, initiative, idea, scorecard, challenge,
                                              client_for):
    second = idea_actions.submit_idea(users["admin"], challenge, title="Deposit trays",
                                      description="A deposit on every tray.")
    other = new_initiative(users["manager"], second, template="business_model",
                           lead=users["leader"])
    food = Competency.objects.create(name="Food safety")
    manager, evaluator, team = (client_for(r) for r in ("manager", "evaluator", "contributor"))
    actions.assign_evaluators(users["manager"], initiative, [users["evaluator"]])
    actions.assign_evaluators(users["manager"], idea, [users["evaluator"]])
    compare = {"initiatives": [initiative.pk, other.pk]}
    pages = {
        "tab, manager": (manager, tab(initiative), {}),
        "tab, manager with suggestions": (manager, tab(initiative), {"competency": food.pk}),
        "tab, evaluator scoring": (evaluator, tab(initiative), {}),
        "tab, team": (team, tab(initiative), {}),
        "idea page, manager": (manager, reverse("pipeline:idea_evaluation", args=[idea.pk]),
                               {}),
        "idea page, evaluator": (evaluator, reverse("pipeline:idea_evaluation", args=[idea.pk]),
                                 {}),
        "my evaluations": (evaluator, reverse("pipeline:my_evaluations"), {}),
        "compare": (team, reverse("pipeline:compare"), compare),
        "API board": (team, f"{API}/initiatives/{initiative.pk}/evaluation", {}),
        "API my evaluations": (evaluator, f"{API}/evaluations/mine", {}),
    }
    measured = []
    for size, start in ((3, 0), (6, 100)):
        for subject in (initiative, other, idea):
            evaluate_many(users["manager"], subject, size, start + subject.pk * 10
                          + (500 if subject is idea else 0))
        for k in range(size):
            extra = person(f"Holder {start + k}")
            extra.competencies.add(food)
        # More things assigned to the evaluator: ideas of the challenge.
        for k in range(size):
            more = idea_actions.submit_idea(users["admin"], challenge, title=f"More {start + k}",
                                            description="More.")
            actions.assign_evaluators(users["manager"], more, [users["evaluator"]])
        measured.append({name: count(c, url, **params)
                         for name, (c, url, params) in pages.items()})
    assert measured[0] == measured[1]
    assert measured[0] == {
        # session, user, bell; initiative; frame: stages (the manager leads: no team query);
        # scorecard, criteria, evaluations, scores; the competencies to pick from
        "tab, manager": 10,
        # + validating the picked competencies; conflicts (co-authors, authors, team); the
        # people ranked; their matched competencies
        "tab, manager with suggestions": 16,
        # session, user, bell; initiative; stages, team check; scorecard, criteria,
        # evaluations, scores
        "tab, evaluator scoring": 10,
        "tab, team": 10,
        # session, user, bell; idea; scorecard, criteria, evaluations, scores; competencies
        "idea page, manager": 9,
        # session, user, bell; the evaluator's org unit (idea visibility); idea; scorecard,
        # criteria, evaluations, scores
        "idea page, evaluator": 9,
        # session, user, bell; org unit; count; page of evaluations with their subjects
        "my evaluations": 6,
        # session, user, bell; initiatives; scorecards, criteria; evaluations, scores; the
        # initiatives offered to pick
        "compare": 9,
        # session, user; initiative; stages; scorecard, criteria, evaluations, scores
        "API board": 8,
        # session, user; org unit; count; page
        "API my evaluations": 5,
    }
