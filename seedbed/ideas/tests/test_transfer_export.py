"""Exporting a challenge's ideas as CSV and XLSX (issue #4 point 11)."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from seedbed.audit.models import AuditEvent
from seedbed.ideas import actions, tabular
from seedbed.ideas.actions import ideas as idea_actions
from seedbed.ideas.models import CustomField, Idea, IdeaType
from tests.support import assert_error_body


def read_csv(response) -> list[list[str]]:
    body = response.content
    assert body.startswith("\ufeff".encode()), "CSV starts with a BOM so Excel reads UTF-8"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def read_xlsx(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]


def export(client, challenge, fmt="csv"):
    return client.get(reverse("ideas:challenge_export", args=[challenge.pk]), {"format": fmt})


@pytest.fixture
def fields(challenge):
    product = IdeaType.objects.get(code="product")
    made = {
        "site": CustomField.objects.create(challenge=challenge, key="site", label="Pilot site",
                                           kind="choice", choices=["Leeds", "York"]),
        "lines": CustomField.objects.create(challenge=challenge, key="lines",
                                            label="Lines affected", kind="multi_choice",
                                            choices=["Soups", "Sauces", "Ready meals"],
                                            position=1),
        "saving": CustomField.objects.create(challenge=challenge, key="saving",
                                             label="Saving per year", kind="number", position=2),
        "trial": CustomField.objects.create(challenge=challenge, key="trial",
                                            label="Trial done", kind="yes_no", position=3),
        "sketch": CustomField.objects.create(challenge=challenge, key="sketch",
                                             label="Sketch", kind="file", position=4),
        "market": CustomField.objects.create(idea_type=product, key="market",
                                             label="Target market", kind="short_text"),
    }
    return made


@pytest.fixture
def rich_idea(users, challenge, fields):
    idea = actions.submit_idea(
        users["contributor"], challenge, title="Mono-material soup pots",
        description="One **polymer** for pot and lid, so kerbside recycling takes it.",
        tags=["packaging", "recycling"],
        custom_values={"site": "Leeds", "lines": ["Soups", "Sauces"], "saving": 12500,
                       "trial": True, "market": "Retail chilled"})
    actions.add_comment(users["evaluator"], idea, body="Talk to Kestrel about films.")
    actions.toggle_vote(users["evaluator"], idea)
    actions.toggle_vote(users["leader"], idea)
    return idea


def test_csv_export_has_one_row_per_idea_with_every_column(client_for, challenge, rich_idea):
    response = export(client_for("manager"), challenge)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="ideas-{challenge.pk}-cut-packaging-waste.csv"')
    header, *rows = read_csv(response)
    assert header == [
        "ID", "Title", "Description", "Type", "Status", "Author", "Author e-mail", "Co-authors",
        "Org unit", "Tags", "Submitted at (UTC)", "Confidential", "Supporters", "Tokens",
        "Comments", "Followers", "Link", "Target market", "Pilot site", "Lines affected",
        "Saving per year", "Trial done", "Sketch"]
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    rich_idea.refresh_from_db()
    assert row["ID"] == str(rich_idea.pk)
    assert row["Title"] == "Mono-material soup pots"
    assert row["Description"].startswith("One **polymer**")
    assert row["Type"] == "Product or service"
    assert row["Status"] == "Submitted"
    assert (row["Author"], row["Author e-mail"]) == ("Contributor Person",
                                                     "contributor@example.test")
    assert row["Org unit"] == "Plant Leeds"
    assert row["Tags"] == "packaging, recycling"
    assert row["Confidential"] == "no"
    assert (row["Supporters"], row["Comments"]) == ("2", "1")
    assert row["Followers"] == str(rich_idea.follower_count)
    assert row["Link"] == f"http://testserver/ideas/{rich_idea.pk}/"
    assert row["Submitted at (UTC)"] == rich_idea.submitted_at.strftime("%Y-%m-%d %H:%M:%S")
    assert row["Pilot site"] == "Leeds"
    assert row["Lines affected"] == "Soups; Sauces"
    assert row["Saving per year"] == "12500"
    assert row["Trial done"] == "yes"
    assert row["Target market"] == "Retail chilled"
    assert row["Sketch"] == ""


def test_file_answers_are_exported_as_the_files_names(client_for, users, challenge, fields,
                                                       rich_idea):
    from seedbed.ideas.models import Attachment

    Attachment.objects.create(
        idea=rich_idea, field_key="sketch", token="t" * 40, file="ideas/x/y",
        original_name="pot-sketch.pdf", content_type="application/pdf", size=10,
        sha256="0" * 64, uploaded_by=users["contributor"])
    header, row = read_csv(export(client_for("manager"), challenge))
    assert dict(zip(header, row, strict=True))["Sketch"] == "pot-sketch.pdf"


def test_xlsx_export_opens_and_has_the_same_rows_as_the_csv(client_for, challenge, rich_idea,
                                                           users):
    actions.submit_idea(users["evaluator"], challenge, title="Returnable crates",
                        description="Crates with a deposit.")
    client = client_for("admin")
    as_csv = read_csv(export(client, challenge))
    response = export(client, challenge, "xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    as_xlsx = read_xlsx(response)
    assert as_xlsx[0] == as_csv[0]
    assert len(as_xlsx) == len(as_csv) == 3
    for xlsx_row, csv_row in zip(as_xlsx[1:], as_csv[1:], strict=True):
        # Numbers stay numbers and times are real times in the workbook.
        assert [str(v) if not hasattr(v, "strftime") else v.strftime("%Y-%m-%d %H:%M:%S")
                for v in xlsx_row] == csv_row


FORMULAS = ["=HYPERLINK(\"http://evil.example\",\"Click\")", "+1+1", "-2+3", "@SUM(A1:A2)"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_cells_that_look_like_formulas_are_neutralised(fmt, client_for, users, challenge,
                                                       fields):
    for n, text in enumerate(FORMULAS):
        actions.submit_idea(users["contributor"], challenge, title=f"{text} {n}",
                            description=text, custom_values={"market": text})
    response = export(client_for("manager"), challenge, fmt)
    rows = read_xlsx(response) if fmt == "xlsx" else read_csv(response)
    cells = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert sorted(c["Title"] for c in cells) == sorted(
        f"'{text} {n}" for n, text in enumerate(FORMULAS))
    assert sorted(c["Description"] for c in cells) == sorted(f"'{t}" for t in FORMULAS)
    assert sorted(c["Target market"] for c in cells) == sorted(f"'{t}" for t in FORMULAS)
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


@pytest.mark.parametrize(("value", "cell"), [
    ("=1+1", "'=1+1"), ("+44 113 496 0000", "'+44 113 496 0000"), ("-5", "'-5"),
    ("@me", "'@me"), ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("a=1", "a=1"), ("", ""),
    (-5, -5), (2.5, 2.5), (True, "yes"), (None, ""),
])
def test_formula_guard_on_single_values(value, cell):
    assert tabular.cell_value(value) == cell


def test_export_leaves_out_drafts_and_merged_ideas_and_marks_confidential_ones(
        client_for, users, challenge, idea):
    idea_actions.create_idea(users["contributor"], challenge=challenge, title="Half-written",
                             description="Still a draft.", draft=True)
    secret = actions.submit_idea(users["evaluator"], challenge, title="Enzyme coating",
                                 description="Patentable.", confidential=True)
    merged = actions.submit_idea(users["leader"], challenge, title="Crates again",
                                 description="Same as crates.")
    Idea.objects.filter(pk=merged.pk).update(status=Idea.Status.MERGED, merged_into=idea)
    header, *rows = read_csv(export(client_for("manager"), challenge))
    by_title = {r[1]: dict(zip(header, r, strict=True)) for r in rows}
    assert set(by_title) == {"Reusable crates", "Enzyme coating"}
    assert by_title["Enzyme coating"]["Confidential"] == "yes"
    assert by_title["Enzyme coating"]["ID"] == str(secret.pk)


def test_export_never_shows_more_than_the_exporter_may_see(client_for, users, challenge, idea):
    # Another manager's draft idea stays private even to the person running the IMS.
    idea_actions.create_idea(users["manager"], challenge=challenge, title="Manager's draft",
                             description="Not submitted.", draft=True)
    header, *rows = read_csv(export(client_for("admin"), challenge))
    assert [r[1] for r in rows] == ["Reusable crates"]


def test_export_is_recorded_in_the_audit_trail(client_for, users, challenge, idea):
    actions.submit_idea(users["evaluator"], challenge, title="Enzyme coating",
                        description="Patentable.", confidential=True)
    client = client_for("manager")
    before = AuditEvent.objects.count()
    export(client, challenge, "xlsx")
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.order_by("-seq").first()
    assert event.verb == "challenge.exported"
    assert event.actor == users["manager"]
    assert event.object_id == str(challenge.pk)
    assert event.changes["format"]["after"] == "xlsx"
    assert event.changes["ideas"]["after"] == 2
    assert event.changes["confidential_ideas"]["after"] == 1


def test_export_page_offers_both_formats_without_recording_anything(client_for, challenge,
                                                                    idea):
    client = client_for("manager")
    before = AuditEvent.objects.count()
    response = client.get(reverse("ideas:challenge_export", args=[challenge.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "?format=csv" in html and "?format=xlsx" in html
    assert "1 idea " in html
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("role", ["leader", "evaluator", "contributor", "partner", "auditor"])
def test_only_managers_may_export(role, client_for, challenge, idea):
    client = client_for(role)
    before = AuditEvent.objects.count()
    assert export(client, challenge).status_code == 403
    response = client.get(f"/api/v1/challenges/{challenge.pk}/export?format=csv")
    assert_error_body(response, 403, "forbidden")
    assert AuditEvent.objects.count() == before


def test_api_export(client_for, challenge, idea):
    client = client_for("manager")
    response = client.get(f"/api/v1/challenges/{challenge.pk}/export")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert read_csv(response)[1][1] == "Reusable crates"
    response = client.get(f"/api/v1/challenges/{challenge.pk}/export?format=xlsx")
    assert read_xlsx(response)[1][1] == "Reusable crates"
    error = assert_error_body(client.get(f"/api/v1/challenges/{challenge.pk}/export?format=pdf"),
                              422, "invalid")
    assert set(error["fields"]) == {"format"}
    assert_error_body(client.get("/api/v1/challenges/987654/export"), 404, "not_found")
    assert_error_body(client.get("/api/v1/challenges/99999999999999999999/export"), 404)


def test_unknown_format_on_the_page_is_a_400_not_a_file(client_for, challenge):
    response = export(client_for("manager"), challenge, "pdf")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_costs_the_same_queries_whatever_the_number_of_ideas(
        fmt, client_for, users, challenge, fields, django_assert_num_queries):
    client = client_for("manager")

    def add(n):
        for i in range(n):
            idea = actions.submit_idea(
                users["contributor"], challenge, title=f"Idea {i}", description="x",
                tags=["t1", f"t{i}"], custom_values={"site": "York", "lines": ["Soups"]})
            actions.add_comment(users["evaluator"], idea, body="Good.")

    add(2)
    export(client, challenge, fmt)  # warm the session and content types
    # The export's audit event takes the chain's advisory lock on PostgreSQL: one more there.
    with django_assert_num_queries(14 + (connection.vendor == "postgresql")) as small:
        export(client, challenge, fmt)
    add(12)
    with django_assert_num_queries(len(small.captured_queries)):
        response = export(client, challenge, fmt)
    rows = read_xlsx(response) if fmt == "xlsx" else read_csv(response)
    assert len(rows) == 15
