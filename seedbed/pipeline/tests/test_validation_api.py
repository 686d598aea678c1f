"""The validation API: assumptions, experiments (with concluding) and risks under
/api/v1/pipeline/. Bad input is a 4xx with the standard error body and stores nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from seedbed.audit.models import AuditEvent
from seedbed.ideas import actions as idea_actions
from seedbed.pipeline.actions import validation as actions
from seedbed.pipeline.models import Assumption, Experiment, Initiative, Risk, TeamMember
from tests.support import api_call, assert_error_body, new_initiative

API = "/api/v1/pipeline"


def session(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def critical(initiative, users) -> Assumption:
    return actions.create_assumption(users["manager"], initiative, statement="People want it",
                                     kind="desirability", importance=5)


def test_assumption_lifecycle(initiative, users):
    client = session(users["contributor"])
    url = f"{API}/initiatives/{initiative.pk}/assumptions"
    made = api_call(client, "post", url, {"statement": "Buyers list it", "kind": "viability",
                                          "importance": 4})
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["critical"] is True and body["experiment_count"] == 0
    assert Initiative.objects.get(pk=initiative.pk).uncertainty == 100
    patched = api_call(client, "patch", f"{API}/assumptions/{body['id']}",
                       {"status": "supported", "evidence": 1})
    assert patched.json()["status"] == "supported"
    assert Initiative.objects.get(pk=initiative.pk).uncertainty == 0
    listed = client.get(url).json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == body["id"]
    removed = api_call(client, "delete", f"{API}/assumptions/{body['id']}")
    assert removed.status_code == 200 and removed.json()["id"] == body["id"]
    assert not Assumption.objects.exists()
    assert AuditEvent.objects.filter(verb__startswith="assumption.").count() == 3


def test_experiment_without_hypothesis_is_refused(initiative, users, critical):
    client = session(users["manager"])
    url = f"{API}/initiatives/{initiative.pk}/experiments"
    missing = assert_error_body(api_call(client, "post", url, {"assumption_ids": [critical.pk]}),
                                422, "invalid")
    assert set(missing["fields"]) == {"hypothesis"}
    blank = assert_error_body(api_call(client, "post", url, {"hypothesis": "   "}), 422)
    assert blank["fields"] == {"hypothesis": [actions.HYPOTHESIS_REQUIRED]}
    assert not Experiment.objects.exists()


def test_experiment_links_only_its_initiatives_assumptions(initiative, users, challenge,
                                                           critical):
    idea = idea_actions.submit_idea(users["evaluator"], challenge, title="Other",
                                    description="Another idea.")
    other = new_initiative(users["manager"], idea)
    theirs = actions.create_assumption(users["manager"], other, statement="Elsewhere",
                                       kind="other", importance=5)
    client = session(users["manager"])
    url = f"{API}/initiatives/{initiative.pk}/experiments"
    for ids in ([critical.pk, theirs.pk], [987654], [-1]):
        error = assert_error_body(api_call(client, "post", url, {
            "hypothesis": "It holds", "assumption_ids": ids}), 422, "invalid")
        assert set(error["fields"]) == {"assumption_ids"}, ids
    assert not Experiment.objects.exists()


def test_experiment_dates_in_order(initiative, users):
    error = assert_error_body(api_call(
        session(users["manager"]), "post", f"{API}/initiatives/{initiative.pk}/experiments",
        {"hypothesis": "It holds", "starts_on": "2030-02-01", "ends_on": "2030-01-01"}), 422)
    assert set(error["fields"]) == {"ends_on"}


def test_concluding_through_the_api_settles_the_assumptions(initiative, users, critical):
    client = session(users["contributor"])
    made = api_call(client, "post", f"{API}/initiatives/{initiative.pk}/experiments", {
        "hypothesis": "Half say yes", "assumption_ids": [critical.pk]}).json()
    assert made["assumption_ids"] == [critical.pk] and made["status"] == "planned"
    url = f"{API}/experiments/{made['id']}/conclude"
    refused = assert_error_body(api_call(client, "post", url, {"status": "succeeded",
                                                              "learning": ""}), 422)
    assert set(refused["fields"]) == {"learning"}
    done = api_call(client, "post", url, {"status": "failed", "learning": "They do not."})
    assert done.status_code == 200 and done.json()["status"] == "failed"
    critical.refresh_from_db()
    assert (critical.status, critical.evidence) == ("refuted", 2)
    assert Initiative.objects.get(pk=initiative.pk).uncertainty == 0
    assert_error_body(api_call(client, "post", url, {"status": "failed", "learning": "x"}),
                      409, "experiment_concluded")
    assert_error_body(api_call(client, "patch", f"{API}/experiments/{made['id']}",
                               {"hypothesis": "Rewritten"}), 409, "experiment_concluded")
    assert_error_body(api_call(client, "delete", f"{API}/experiments/{made['id']}"), 409)
    assert_error_body(api_call(client, "delete", f"{API}/assumptions/{critical.pk}"),
                      409, "assumption_tested")


def test_risk_scores_out_of_range_are_422(initiative, users):
    client = session(users["manager"])
    url = f"{API}/initiatives/{initiative.pk}/risks"
    for likelihood, impact in ((0, 6), (6, -1), ("high", 2.5)):
        error = assert_error_body(api_call(client, "post", url, {
            "title": "Flood", "likelihood": likelihood, "impact": impact}), 422, "invalid")
        assert set(error["fields"]) == {"likelihood", "impact"}
    assert not Risk.objects.exists()


def test_risk_owner_and_treatment_checks(initiative, users):
    client = session(users["manager"])
    url = f"{API}/initiatives/{initiative.pk}/risks"
    base = {"title": "Flood", "likelihood": 4, "impact": 4}
    error = assert_error_body(api_call(client, "post", url, {**base, "owner_id": 987654}), 422)
    assert error["fields"] == {"owner_id": ["No such person."]}
    error = assert_error_body(api_call(client, "post", url, {
        **base, "owner_id": users["evaluator"].pk}), 422)
    assert set(error["fields"]) == {"owner_id"}
    error = assert_error_body(api_call(client, "post", url, {**base, "treatment": "reduce"}),
                              422)
    assert set(error["fields"]) == {"treatment_plan"}
    made = api_call(client, "post", url, {**base, "owner_id": users["contributor"].pk})
    body = made.json()
    assert made.status_code == 201 and body["score"] == 16 and body["level"] == "high"
    assert body["needs_treatment"] is True and body["owner"]["id"] == users["contributor"].pk
    patched = api_call(client, "patch", f"{API}/risks/{body['id']}", {
        "treatment": "transfer", "treatment_plan": "Insurance.", "owner_id": None}).json()
    assert patched["needs_treatment"] is False and patched["owner"] is None
    assert client.get(url + "?status=closed").json()["count"] == 0


def test_an_outsider_learns_nothing_from_an_owner_id(initiative, users):
    error = assert_error_body(api_call(
        session(users["evaluator"]), "post", f"{API}/initiatives/{initiative.pk}/risks",
        {"title": "Flood", "likelihood": 4, "impact": 4, "owner_id": 987654}), 403)
    assert error["code"] == "forbidden"


def test_partner_works_only_where_on_the_team(initiative, users, critical):
    partner = session(users["partner"])
    url = f"{API}/initiatives/{initiative.pk}/assumptions"
    body = {"statement": "Trays seal", "kind": "feasibility", "importance": 4}
    assert_error_body(partner.get(url), 404, "not_found")
    assert_error_body(api_call(partner, "post", url, body), 404)
    assert_error_body(partner.get(f"{API}/assumptions/{critical.pk}"), 404)
    TeamMember.objects.create(initiative=initiative, user=users["partner"],
                              role=TeamMember.Role.PARTNER, added_by=users["manager"])
    assert api_call(partner, "post", url, body).status_code == 201
    assert partner.get(url).json()["count"] == 2


def test_auditor_reads_only(initiative, users, critical):
    auditor = session(users["auditor"])
    assert auditor.get(f"{API}/assumptions/{critical.pk}").status_code == 200
    assert_error_body(api_call(auditor, "patch", f"{API}/assumptions/{critical.pk}",
                               {"importance": 1}), 403, "forbidden")
    critical.refresh_from_db()
    assert critical.importance == 5


def test_null_for_a_required_field_is_refused(users, critical):
    error = assert_error_body(api_call(session(users["manager"]), "patch",
                                       f"{API}/assumptions/{critical.pk}",
                                       {"statement": None, "importance": None}), 422)
    assert set(error["fields"]) == {"statement", "importance"}


def test_stopped_initiative_is_409(initiative, users, critical):
    Initiative.objects.filter(pk=initiative.pk).update(status=Initiative.Status.STOPPED)
    assert_error_body(api_call(session(users["manager"]), "post",
                               f"{API}/initiatives/{initiative.pk}/risks",
                               {"title": "Late", "likelihood": 1, "impact": 1}),
                      409, "initiative_closed")


@pytest.mark.parametrize("path", ["assumptions/987654", "experiments/987654", "risks/987654",
                                  "initiatives/987654/risks", "assumptions/99999999999999999999"])
def test_missing_records_are_404(path, users):
    assert_error_body(session(users["manager"]).get(f"{API}/{path}"), 404, "not_found")
