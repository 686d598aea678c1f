"""Portfolio criteria kept as data (issue #5 point 9): target shares per dimension and bucket,
through the actions, the pages and the API; validated, audited, warned about when a
dimension's targets do not add up to 100."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from seedbed.audit.models import AuditEvent
from seedbed.pipeline.actions import portfolio as actions
from seedbed.pipeline.models import PortfolioCriterion
from seedbed.pipeline.selectors import portfolio as reads
from seedbed.pipeline.tests.portfolio_helpers import focus_area
from tests.support import api_call, assert_error_body

LIST = "/pipeline/portfolio/criteria/"
NEW = "/pipeline/portfolio/criteria/new/"
API = "/api/v1/pipeline/portfolio/criteria"


def test_adding_a_target_is_audited_and_named_after_its_bucket(users, templates):
    criterion = actions.add_criterion(users["manager"], dimension="horizon", bucket="h2",
                                      target_share="20")
    assert (criterion.label, criterion.target_share, criterion.updated_by) == (
        "H2 adjacent", Decimal(20), users["manager"])
    event = AuditEvent.objects.get(verb="portfolio_criterion.created")
    assert event.changes["target_share"]["after"] in ("20.00", 20, "20")
    assert event.changes["bucket"] == {"before": None, "after": "h2"}


def test_buckets_come_from_the_dimension(users, templates, org):
    area = focus_area(users["manager"])
    for dimension, bucket in (("idea_type", "process"), ("focus_area", str(area.pk)),
                              ("org_unit", str(org["ops"].pk))):
        actions.add_criterion(users["manager"], dimension=dimension, bucket=bucket,
                              target_share=10)
    labels = set(PortfolioCriterion.objects.values_list("label", flat=True))
    assert labels == {"Process", "Less packaging waste", "Operations"}


@pytest.mark.parametrize(("fields", "bad"), [
    ({"target_share": "101"}, {"target_share"}),
    ({"target_share": "-1"}, {"target_share"}),
    ({"target_share": "lots"}, {"target_share"}),
    ({"target_share": "NaN"}, {"target_share"}),
    ({"bucket": "h4"}, {"bucket"}),
    ({"bucket": ""}, {"bucket"}),
    ({"dimension": "colour"}, {"dimension"}),
    ({"dimension": "focus_area", "bucket": "999999"}, {"bucket"}),
    ({"target_share": "150", "bucket": "h7", "note": "x" * 301}, {"target_share", "bucket",
                                                                  "note"}),
])
def test_bad_input_names_every_field_and_stores_nothing(fields, bad, users, templates):
    data = {"dimension": "horizon", "bucket": "h1", "target_share": "70", **fields}
    with pytest.raises(ValidationError) as caught:
        actions.add_criterion(users["manager"], **data)
    assert set(caught.value.message_dict) == bad
    assert not PortfolioCriterion.objects.exists()
    assert not AuditEvent.objects.filter(verb__startswith="portfolio_criterion").exists()


def test_one_target_per_bucket(users, templates):
    actions.add_criterion(users["manager"], dimension="horizon", bucket="h1", target_share=70)
    with pytest.raises(ValidationError) as caught:
        actions.add_criterion(users["admin"], dimension="horizon", bucket="h1", target_share=60)
    assert "already has a target" in caught.value.message_dict["bucket"][0]
    assert PortfolioCriterion.objects.count() == 1


@pytest.mark.parametrize("role", ["leader", "auditor", "evaluator", "contributor", "partner"])
def test_only_those_who_run_the_ims_keep_the_criteria(role, users, templates):
    with pytest.raises(PermissionDenied):
        actions.add_criterion(users[role], dimension="horizon", bucket="h1", target_share=70)
    criterion = actions.add_criterion(users["manager"], dimension="horizon", bucket="h1",
                                      target_share=70)
    with pytest.raises(PermissionDenied):
        actions.update_criterion(users[role], criterion, target_share=60)
    with pytest.raises(PermissionDenied):
        actions.remove_criterion(users[role], criterion)


def test_update_and_remove_are_audited(users, templates):
    criterion = actions.add_criterion(users["manager"], dimension="horizon", bucket="h1",
                                      target_share=70, note="Protect the core.")
    actions.update_criterion(users["admin"], criterion, target_share=Decimal("65.5"))
    criterion.refresh_from_db()
    assert (criterion.target_share, criterion.updated_by) == (Decimal("65.5"), users["admin"])
    event = AuditEvent.objects.get(verb="portfolio_criterion.updated")
    assert set(event.changes) == {"target_share"}
    # Unchanged: no event.
    actions.update_criterion(users["admin"], criterion, target_share=Decimal("65.5"))
    assert AuditEvent.objects.filter(verb="portfolio_criterion.updated").count() == 1
    # Moved to another bucket without a label: named after the new bucket.
    actions.update_criterion(users["manager"], criterion, bucket="h2")
    criterion.refresh_from_db()
    assert (criterion.bucket, criterion.label) == ("h2", "H2 adjacent")
    actions.remove_criterion(users["manager"], criterion)
    assert not PortfolioCriterion.objects.exists()
    removed = AuditEvent.objects.get(verb="portfolio_criterion.deleted")
    assert removed.changes["bucket"] == {"before": "h2", "after": None}


def test_warnings_when_a_dimensions_targets_do_not_add_up(users, templates):
    manager = users["manager"]
    actions.add_criterion(manager, dimension="horizon", bucket="h1", target_share=70)
    actions.add_criterion(manager, dimension="horizon", bucket="h2", target_share=20)
    actions.add_criterion(manager, dimension="idea_type", bucket="product", target_share=100)
    actions.add_criterion(manager, dimension="focus_area",
                          bucket=str(focus_area(manager).pk), target_share=30)
    rows = list(reads.criteria())
    assert reads.target_totals(rows) == {"horizon": Decimal(90), "idea_type": Decimal(100),
                                         "focus_area": Decimal(30)}
    # Focus areas overlap, so their targets need not add up.
    assert reads.total_warnings(rows) == ["Horizon targets add up to 90 %, not 100 %."]


# --- pages ------------------------------------------------------------------------------------


def test_everyone_who_reads_the_portfolio_sees_the_criteria_managers_edit(users, templates,
                                                                         client_for):
    actions.add_criterion(users["manager"], dimension="horizon", bucket="h1", target_share=70)
    auditor = client_for("auditor").get(LIST).content.decode()
    assert "H1 core" in auditor and "70 %" in auditor
    assert "Horizon targets add up to 70 %, not 100 %." in auditor
    assert "Add a target" not in auditor and "Remove" not in auditor
    manager = client_for("manager").get(LIST).content.decode()
    assert "Add a target" in manager and "Remove" in manager
    assert '<optgroup label="Horizon">' in manager


def test_adding_through_the_form(users, templates, client_for):
    manager = client_for("manager")
    response = manager.post(NEW, {"target": "horizon:h3", "target_share": "10",
                                  "note": "Some bold bets."})
    assert response.status_code == 302 and response["Location"] == LIST
    criterion = PortfolioCriterion.objects.get()
    assert (criterion.dimension, criterion.bucket, criterion.note) == (
        "horizon", "h3", "Some bold bets.")
    follow = manager.get(LIST).content.decode()
    assert "Target “H3 transformational” added." in follow


@pytest.mark.parametrize(("data", "field"), [
    ({"target": "horizon:h1", "target_share": "120"}, "target_share"),
    ({"target": "horizon:h9", "target_share": "20"}, "target"),
    ({"target": "", "target_share": "20"}, "target"),
])
def test_bad_form_input_is_shown_beside_the_field(data, field, users, templates, client_for):
    response = client_for("manager").post(NEW, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert not PortfolioCriterion.objects.exists()


def test_a_duplicate_bucket_from_the_form_is_shown_beside_the_target(users, templates,
                                                                     client_for):
    actions.add_criterion(users["manager"], dimension="horizon", bucket="h1", target_share=70)
    response = client_for("admin").post(NEW, {"target": "horizon:h1", "target_share": "50"})
    assert response.status_code == 400
    assert "already has a target" in response.content.decode()
    assert PortfolioCriterion.objects.count() == 1


def test_editing_and_removing_through_the_pages(users, templates, client_for):
    criterion = actions.add_criterion(users["manager"], dimension="horizon", bucket="h1",
                                      target_share=70)
    manager = client_for("manager")
    edit = f"/pipeline/portfolio/criteria/{criterion.pk}/edit/"
    page = manager.get(edit).content.decode()
    assert 'value="horizon:h1" selected' in page
    assert manager.post(edit, {"target": "horizon:h1", "target_share": "101"}).status_code \
        == 400
    response = manager.post(edit, {"target": "horizon:h1", "target_share": "75",
                                   "label": "Core business"})
    assert response.status_code == 302
    criterion.refresh_from_db()
    assert (criterion.target_share, criterion.label) == (Decimal(75), "Core business")
    response = manager.post(f"/pipeline/portfolio/criteria/{criterion.pk}/delete/")
    assert response.status_code == 302
    assert not PortfolioCriterion.objects.exists()
    assert manager.get(f"/pipeline/portfolio/criteria/{criterion.pk}/edit/").status_code == 404


# --- API --------------------------------------------------------------------------------------


def test_criteria_through_the_api(users, templates, client_for):
    manager = client_for("manager")
    created = api_call(manager, "post", API, {"dimension": "horizon", "bucket": "h1",
                                              "target_share": 70, "note": "Core."})
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["label"], body["target_share"], body["updated_by_id"]) == (
        "H1 core", "70.00", users["manager"].pk)
    url = f"{API}/{body['id']}"
    listing = client_for("auditor").get(API).json()
    assert listing["count"] == 1 and listing["items"][0]["id"] == body["id"]
    assert client_for("leader").get(url).json()["bucket"] == "h1"
    patched = api_call(manager, "patch", url, {"target_share": "72.5"})
    assert patched.status_code == 200 and patched.json()["target_share"] == "72.50"
    removed = api_call(manager, "delete", url)
    assert removed.status_code == 200 and removed.json()["id"] == body["id"]
    assert_error_body(client_for("manager").get(url), 404, "not_found")


@pytest.mark.parametrize(("body", "fields"), [
    ({"dimension": "horizon", "bucket": "h1", "target_share": 101}, {"target_share"}),
    ({"dimension": "horizon", "bucket": "h8", "target_share": 10}, {"bucket"}),
    ({"dimension": "shape", "bucket": "h1", "target_share": 10}, {"dimension"}),
    ({"dimension": "horizon", "target_share": 10}, {"bucket"}),
])
def test_bad_api_input_is_422_naming_the_fields(body, fields, users, templates, client_for):
    response = api_call(client_for("manager"), "post", API, body)
    error = assert_error_body(response, 422, "invalid")
    assert set(error["fields"]) == fields
    assert not PortfolioCriterion.objects.exists()


def test_a_leader_reads_but_does_not_write_criteria(users, templates, client_for):
    leader = client_for("leader")
    assert leader.get(API).status_code == 200
    assert_error_body(api_call(leader, "post", API, {"dimension": "horizon", "bucket": "h1",
                                                     "target_share": 70}), 403, "forbidden")


def test_the_criteria_page_costs_the_same_queries_at_2_and_8_targets(users, templates, org,
                                                                     client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    manager = client_for("manager")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert manager.get(LIST).status_code == 200
        return len(ctx)

    actions.add_criterion(users["manager"], dimension="horizon", bucket="h1", target_share=70)
    actions.add_criterion(users["admin"], dimension="horizon", bucket="h2", target_share=30)
    small = count()
    for code in ("product", "process", "business_model", "continuous_improvement"):
        actions.add_criterion(users["manager"], dimension="idea_type", bucket=code,
                              target_share=25)
    for unit in ("ops", "sales"):
        actions.add_criterion(users["admin"], dimension="org_unit", bucket=str(org[unit].pk),
                              target_share=50)
    # session, user, the bell, the criteria with who changed them; the form's buckets (idea
    # types, focus areas, org units).
    assert count() == small == 7
