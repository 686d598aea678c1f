"""Exporting the portfolio (issue #5 point 9): the filtered initiatives one may see, as CSV or
XLSX, streamed in chunks, each export one audit event."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from seedbed.audit.models import AuditEvent
from seedbed.pipeline.selectors import portfolio as reads
from seedbed.pipeline.tests.portfolio_helpers import focus_area, make_initiative, spread
from tests.support import assert_error_body

PAGE = "/pipeline/portfolio/export/"
API = "/api/v1/pipeline/portfolio/export"


def read_csv(response) -> list[list[str]]:
    assert response.streaming
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def read_xlsx(response) -> list[list]:
    body = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(body)).active
    return [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def rich(users, initiative):
    """The promoted initiative (its idea linked) with a focus area, an objective and money."""
    from seedbed.pipeline.models import Initiative
    from seedbed.strategy.actions import planning

    objective = planning.create_objective(
        users["manager"], title="Revenue from new products", indicator="Share of revenue",
        unit="%", baseline=8, target=15, start_on=date(2024, 1, 1), due_on=date(2035, 12, 31),
        owner=users["leader"])
    initiative.objectives.add(objective)
    initiative.focus_areas.set([focus_area(users["manager"])])
    Initiative.objects.filter(pk=initiative.pk).update(
        projected_value=250000, committed=12000, spent=3500, uncertainty=60, horizon="h2")
    initiative.refresh_from_db()
    return initiative


def test_csv_has_every_column_that_matters(users, rich, idea, client_for):
    response = client_for("manager").get(PAGE, {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="portfolio-')
    assert response["Cache-Control"] == "no-store"
    header, *rows = read_csv(response)
    assert header == list(reads.EXPORT_COLUMNS)
    row = dict(zip(header, rows[0], strict=True))
    assert len(rows) == 1
    assert row["Title"] == rich.title
    assert (row["Template"], row["Version"], row["Stage"], row["Phase"]) == (
        "Product or service", "1", "Concept", "Concept (8.3.3)")
    assert (row["Status"], row["Horizon"], row["Org unit"]) == ("Active", "H2 adjacent",
                                                                "Plant Leeds")
    assert (row["Lead"], row["Lead e-mail"]) == ("Manager Person", "manager@example.test")
    assert (row["Uncertainty (0-100)"], row["Risk appetite (0-100)"]) == ("60", "90")
    assert (row["Projected value"], row["Committed"], row["Spent"], row["Investment"]) == (
        "250000.00", "12000.00", "3500.00", "12000.00")
    assert row["Focus areas"] == "Less packaging waste"
    assert row["Objectives"] == "Revenue from new products"
    assert row["Ideas"] == f"#{idea.pk} {idea.title}"
    assert row["Confidential"] == "no"
    assert row["Link"].endswith(f"/pipeline/initiatives/{rich.pk}/")


def test_each_export_is_one_audit_event_with_its_filters(users, rich, templates, client_for):
    make_initiative(users, templates["process"], title="Secret", confidential=True)
    response = client_for("leader").get(PAGE, {"format": "xlsx", "template": "process"})
    assert response.status_code == 200
    header, *rows = read_xlsx(response)
    assert [r[1] for r in rows] == ["Secret"]
    event = AuditEvent.objects.get(verb="portfolio.exported")
    assert event.actor == users["leader"]
    assert event.changes["format"]["after"] == "xlsx"
    assert event.changes["filters"]["after"] == {"template": "process"}
    assert (event.changes["initiatives"]["after"],
            event.changes["confidential_initiatives"]["after"]) == (1, 1)


def test_xlsx_holds_numbers_as_numbers(users, rich, client_for):
    header, row = read_xlsx(client_for("manager").get(PAGE, {"format": "xlsx"}))
    values = dict(zip(header, row, strict=True))
    assert values["Investment"] == 12000
    assert values["Uncertainty (0-100)"] == 60


def test_confidential_initiatives_are_absent_for_the_auditor(users, rich, templates,
                                                             client_for):
    make_initiative(users, templates["product"], title="Secret gravy", confidential=True)
    titles = [r[1] for r in read_csv(client_for("auditor").get(PAGE, {"format": "csv"}))[1:]]
    assert titles == [rich.title]
    event = AuditEvent.objects.get(verb="portfolio.exported")
    assert event.changes["confidential_initiatives"]["after"] == 0


def test_stopped_initiatives_are_exported_with_their_learnings(users, templates, client_for):
    make_initiative(users, templates["product"], title="Smoothie cubes", status="stopped")
    from seedbed.pipeline.models import Initiative

    Initiative.objects.update(learnings="Freezer space in stores is the real constraint.")
    row = read_csv(client_for("manager").get(PAGE, {"format": "csv"}))[1]
    assert row[reads.EXPORT_COLUMNS.index("Status")] == "Stopped"
    assert row[reads.EXPORT_COLUMNS.index("Learnings")].startswith("Freezer space")


def test_text_that_looks_like_a_formula_stays_text(users, templates, client_for):
    make_initiative(users, templates["product"], title="=HYPERLINK(\"http://x\")")
    row = read_csv(client_for("manager").get(PAGE, {"format": "csv"}))[1]
    assert row[1] == "'=HYPERLINK(\"http://x\")"


def test_rows_are_read_in_chunks_each_once(users, templates):
    made = spread(users, templates, 7, areas=[focus_area(users["manager"])])
    qs = reads.export_queryset(users["manager"])
    with CaptureQueriesContext(connection) as ctx:
        rows = list(reads.export_rows(qs, base_url="http://testserver", chunk=3))
    assert [r[0] for r in rows] == sorted(i.pk for i in made)
    # Three chunks (3 + 3 + 1 rows), four queries each.
    assert len(ctx) == 12


def test_the_page_without_a_format_says_what_the_file_holds(users, rich, client_for):
    response = client_for("auditor").get(PAGE, {"horizon": "h2"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 initiative matching the filters" in html
    assert "horizon=h2&amp;format=csv" in html
    assert not AuditEvent.objects.filter(verb="portfolio.exported").exists()
    assert client_for("manager").get(PAGE, {"format": "pdf"}).status_code == 400
    assert client_for("manager").get(PAGE, {"format": "csv", "max_uncertainty": "-3"}) \
        .status_code == 400
    assert not AuditEvent.objects.filter(verb="portfolio.exported").exists()


def test_export_through_the_api(users, rich, client_for):
    response = client_for("admin").get(API, {"format": "csv", "horizon": "h2"})
    assert response.status_code == 200
    assert len(read_csv(response)) == 2
    assert AuditEvent.objects.filter(verb="portfolio.exported").count() == 1
    assert_error_body(client_for("admin").get(API, {"format": "pdf"}), 422, "invalid")
    error = assert_error_body(client_for("admin").get(
        API, {"min_uncertainty": 80, "max_uncertainty": 20}), 422, "invalid")
    assert set(error["fields"]) == {"max_uncertainty"}
    assert_error_body(client_for("contributor").get(API), 403, "forbidden")
    assert AuditEvent.objects.filter(verb="portfolio.exported").count() == 1
