"""Importing ideas from CSV: dry run, confirm, all or nothing (issue #4 point 11)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from seedbed.accounts.models import User
from seedbed.audit.models import AuditEvent
from seedbed.ideas.actions import transfer
from seedbed.ideas.models import CustomField, Idea, IdeaVersion
from seedbed.ideas.tests.helpers import parse, squash, texts_with_class
from tests.support import assert_error_body
from tests.test_api_schema import Contract

HEADER = "title,description,author e-mail,tags,site,saving\n"
GOOD = (HEADER
        + "Mono-material pots,One polymer for pot and lid.,contributor@example.test,"
          "\"packaging, recycling\",Leeds,12500\n"
        + "Returnable crates,Crates with a deposit.,EVALUATOR@example.test,,york,\n")


def upload(data: bytes | str, name: str = "ideas.csv") -> SimpleUploadedFile:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return SimpleUploadedFile(name, data, content_type="text/csv")


@pytest.fixture
def fields(challenge):
    return [
        CustomField.objects.create(challenge=challenge, key="site", label="Pilot site",
                                   kind="choice", choices=["Leeds", "York"], required=True),
        CustomField.objects.create(challenge=challenge, key="saving", label="Saving per year",
                                   kind="number", position=1),
    ]


def import_url(challenge) -> str:
    return reverse("ideas:challenge_import", args=[challenge.pk])


def check(client: Client, challenge, data):
    return client.post(import_url(challenge), {"file": upload(data)})


def confirm_token(response) -> str:
    html = response.content.decode()
    marker = 'name="token" value="'
    assert marker in html, "the report offers to import"
    return html.split(marker, 1)[1].split('"', 1)[0]


def errors_shown(response) -> list[str]:
    """Each row of the report's table of problems, as "row column message"."""
    html = response.content.decode()
    assert texts_with_class(html, "import-errors"), "the report lists the problems"
    section = html.split('class="import-errors"', 1)[1].split("</table>", 1)[0]
    rows, cells = [], []
    for name, _, text in parse(section).closed:
        if name == "td":
            cells.append(squash(text))
        elif name == "tr" and cells:
            rows.append(" ".join(cells))
            cells = []
    return rows


# --- The HTML flow ----------------------------------------------------------------------------


def test_upload_page_lists_the_columns_including_custom_fields(client_for, challenge, fields):
    response = client_for("manager").get(import_url(challenge))
    assert response.status_code == 200
    columns = squash(" ".join(texts_with_class(response.content.decode(), "import-columns")))
    for name in ("title", "description", "author e-mail", "type", "tags", "site", "saving"):
        assert name in columns
    assert 'enctype="multipart/form-data"' in response.content.decode()


def test_check_then_confirm_imports_every_row_through_submit(client_for, users, challenge,
                                                             fields):
    client = client_for("manager")
    audit_before = AuditEvent.objects.count()
    response = check(client, challenge, GOOD)
    assert response.status_code == 200
    plan = squash(" ".join(texts_with_class(response.content.decode(), "import-plan")))
    assert "Mono-material pots" in plan and "Returnable crates" in plan
    # The dry run writes nothing at all.
    assert not Idea.objects.exists() and AuditEvent.objects.count() == audit_before

    response = client.post(import_url(challenge), {"token": confirm_token(response)})
    assert response.status_code == 302 and response["Location"] == challenge.get_absolute_url()
    pots = Idea.objects.get(title="Mono-material pots")
    crates = Idea.objects.get(title="Returnable crates")
    assert pots.author == users["contributor"] and crates.author == users["evaluator"]
    assert pots.status == crates.status == Idea.Status.SUBMITTED
    assert sorted(t.name for t in pots.tags.all()) == ["packaging", "recycling"]
    assert pots.custom_values == {"site": "Leeds", "saving": 12500}
    assert crates.custom_values == {"site": "York"}
    assert pots.idea_type.code == "product"  # the challenge takes one type
    assert IdeaVersion.objects.filter(idea__in=[pots, crates], number=1).count() == 2
    challenge.refresh_from_db()
    assert (challenge.idea_count, challenge.public_idea_count) == (2, 2)
    events = list(AuditEvent.objects.filter(seq__gt=audit_before).order_by("seq"))
    verbs = [e.verb for e in events]
    assert verbs.count("idea.submitted") == 2
    assert verbs[-1] == "challenge.ideas_imported"
    assert events[-1].actor == users["manager"]
    assert sorted(events[-1].changes["ideas"]["after"]) == sorted([pots.pk, crates.pk])
    # The kept upload is gone: confirming again imports nothing twice.
    again = client.post(import_url(challenge), {"token": "anything"})
    assert again.status_code == 302 and again["Location"] == import_url(challenge)
    assert Idea.objects.count() == 2


def test_report_lists_each_rows_problems_and_imports_nothing(client_for, users, challenge,
                                                            fields):
    data = (HEADER
            + "Good one,Fine.,contributor@example.test,,Leeds,\n"
            + ",No title.,contributor@example.test,,Leeds,\n"
            + "Ghost,Who?,nobody@example.test,,Leeds,\n"
            + "Audited,Auditors only read.,auditor@example.test,,Leeds,\n"
            + "Partner,Not invited.,partner@example.test,,Leeds,\n"
            + "Bad site,Where?,contributor@example.test,,Paris,lots\n"
            + "No site,Required.,contributor@example.test,,,\n")
    client = client_for("manager")
    response = check(client, challenge, data)
    assert response.status_code == 400
    rows = errors_shown(response)
    report = " | ".join(rows)
    for expected in ("3 title This field is required.",
                     "4 author_email No account with this e-mail address.",
                     "5 author_email This person cannot take part in this challenge.",
                     "6 author_email This person cannot take part in this challenge.",
                     "7 site “Paris” is not one of the choices.",
                     "8 site This question is required."):
        assert expected in report, report
    assert "Nothing has been imported" in response.content.decode()
    assert 'name="token"' not in response.content.decode()
    assert not Idea.objects.exists()


def test_inactive_people_and_unknown_columns_are_reported(client_for, users, challenge):
    users["evaluator"].is_active = False
    users["evaluator"].save(update_fields=["is_active"])
    response = check(client_for("manager"), challenge,
                     "title,description,author e-mail\nA,B,evaluator@example.test\n")
    assert "2 author_email This account is not active." in " ".join(errors_shown(response))
    response = check(client_for("manager"), challenge,
                     "title,description,author e-mail,budget\nA,B,contributor@example.test,5\n")
    assert response.status_code == 400
    assert "1 budget Unknown column." in " ".join(errors_shown(response))
    response = check(client_for("manager"), challenge, "title,author e-mail\nA,b@x.test\n")
    assert "1 description This column is missing." in " ".join(errors_shown(response))


def test_partner_invited_to_the_challenge_may_be_an_author(client_for, users, challenge):
    challenge.partner_orgs.add(users["partner"].partner_org)
    client = client_for("manager")
    response = check(client, challenge,
                     "title,description,author e-mail\nShelf-life model,From the lab.,"
                     "partner@example.test\n")
    assert response.status_code == 200, response.content.decode()[:2000]
    client.post(import_url(challenge), {"token": confirm_token(response)})
    assert Idea.objects.get().author == users["partner"]


@pytest.mark.parametrize("encoded", [
    "title,description,author e-mail\nCrème brûlée pots 🌱,Käse,contributor@example.test\n"
    .encode(),
    "\ufefftitle,description,author e-mail\r\nCrème brûlée pots 🌱,Käse,"
    "contributor@example.test\r\n".encode(),
    "title;description;author e-mail\nCrème brûlée pots 🌱;Käse;contributor@example.test\n"
    .encode(),
], ids=["utf-8", "utf-8 with BOM and CRLF", "semicolons"])
def test_utf8_with_or_without_bom_is_read(encoded, client_for, challenge):
    client = client_for("manager")
    response = check(client, challenge, encoded)
    assert response.status_code == 200
    client.post(import_url(challenge), {"token": confirm_token(response)})
    assert Idea.objects.get().title == "Crème brûlée pots 🌱"


def test_a_file_that_is_not_utf8_is_refused_with_a_clear_message(client_for, challenge):
    data = "title,description,author e-mail\nCrème,x,contributor@example.test\n".encode("cp1252")
    response = check(client_for("manager"), challenge, data)
    assert response.status_code == 400
    assert "is not UTF-8 text" in response.content.decode()
    assert not Idea.objects.exists()


def test_oversized_file_and_too_many_rows_are_refused(client_for, challenge, settings):
    client = client_for("manager")
    settings.IMPORT_MAX_BYTES = 100
    response = check(client, challenge, GOOD + "x" * 200)
    assert response.status_code == 400 and "the limit is" in response.content.decode()
    settings.IMPORT_MAX_BYTES = 2 * 1024 * 1024
    settings.IMPORT_MAX_ROWS = 3
    rows = "".join(f"Idea {n},x,contributor@example.test\n" for n in range(4))
    response = check(client, challenge, "title,description,author e-mail\n" + rows)
    assert response.status_code == 400 and "more than 3 rows" in response.content.decode()
    assert not Idea.objects.exists()


def test_empty_and_missing_files_are_form_errors(client_for, challenge):
    client = client_for("manager")
    assert client.post(import_url(challenge), {}).status_code == 400
    assert check(client, challenge, b"").status_code == 400
    assert check(client, challenge, b"\x00\x01binary").status_code == 400
    assert not Idea.objects.exists()


def test_formula_like_text_is_imported_as_plain_text(client_for, challenge):
    client = client_for("manager")
    response = check(client, challenge, "title,description,author e-mail\n"
                                        "\"=1+1\",\"<script>alert(1)</script>\","
                                        "contributor@example.test\n")
    assert "<script>alert(1)</script>" not in response.content.decode()
    client.post(import_url(challenge), {"token": confirm_token(response)})
    assert Idea.objects.get().title == "=1+1"


def test_a_row_refused_at_import_time_rolls_back_every_row(client_for, challenge, monkeypatch):
    """The check passed, but the action refuses row 3 when the import runs (something changed
    in between): the two ideas already created are rolled back."""
    from django.core.exceptions import ValidationError

    real = transfer.submit_idea

    def flaky(author, ch, **values):
        if values["title"] == "Third":
            raise ValidationError({"title": "Refused at the last moment."})
        return real(author, ch, **values)

    client = client_for("manager")
    rows = "".join(f"{t},x,contributor@example.test\n"
                   for t in ("First", "Second", "Third", "Fourth"))
    response = check(client, challenge, "title,description,author e-mail\n" + rows)
    assert response.status_code == 200
    monkeypatch.setattr(transfer, "submit_idea", flaky)
    audit_before = AuditEvent.objects.count()
    response = client.post(import_url(challenge), {"token": confirm_token(response)})
    assert response.status_code == 400
    assert "4 title Refused at the last moment." in " ".join(errors_shown(response))
    assert not Idea.objects.exists()
    challenge.refresh_from_db()
    assert challenge.idea_count == 0
    assert AuditEvent.objects.count() == audit_before


def test_the_import_checks_again_at_confirmation(client_for, users, challenge):
    client = client_for("manager")
    response = check(client, challenge, GOOD.replace(",site,saving", "").replace(
        ",Leeds,12500", "").replace(",york,", ""))
    token = confirm_token(response)
    users["evaluator"].is_active = False
    users["evaluator"].save(update_fields=["is_active"])
    response = client.post(import_url(challenge), {"token": token})
    assert response.status_code == 400
    assert "3 author_email This account is not active." in " ".join(errors_shown(response))
    assert not Idea.objects.exists()


def test_a_closed_challenge_takes_no_import(client_for, users, challenge):
    from seedbed.ideas import actions

    actions.close_challenge(users["manager"], challenge)
    response = check(client_for("manager"), challenge,
                     "title,description,author e-mail\nA,B,contributor@example.test\n")
    assert response.status_code == 400
    assert "not accepting ideas" in " ".join(errors_shown(response))


def test_the_kept_upload_belongs_to_one_person(client_for, users, challenge):
    manager = client_for("manager")
    token = confirm_token(check(manager, challenge,
                                "title,description,author e-mail\nA,B,"
                                "contributor@example.test\n"))
    admin = client_for("admin")
    response = admin.post(import_url(challenge), {"token": token})
    assert response.status_code == 302 and response["Location"] == import_url(challenge)
    assert not Idea.objects.exists()


@pytest.mark.parametrize("role", ["leader", "evaluator", "contributor", "partner", "auditor"])
def test_only_managers_may_import(role, client_for, challenge):
    client = client_for(role)
    assert client.get(import_url(challenge)).status_code == 403
    assert check(client, challenge, GOOD).status_code == 403
    response = client.post(f"/api/v1/challenges/{challenge.pk}/import?dry_run=true",
                           {"file": upload(GOOD)})
    assert_error_body(response, 403, "forbidden")
    assert not Idea.objects.exists()


# --- The API ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def contract(django_db_blocker) -> Contract:
    with django_db_blocker.unblock():
        return Contract(Client().get("/api/v1/openapi.json").json())


def api_import(client, challenge, data, *, dry_run: bool):
    url = f"/api/v1/challenges/{challenge.pk}/import" + ("?dry_run=true" if dry_run else "")
    return url, client.post(url, {"file": upload(data)})


def test_api_dry_run_reports_and_writes_nothing(client_for, challenge, fields, contract):
    client = client_for("manager")
    url, response = api_import(client, challenge, GOOD, dry_run=True)
    assert response.status_code == 200
    contract.check("POST", url, response)
    body = response.json()
    assert body["dry_run"] is True and body["ok"] is True and body["rows"] == 2
    assert [p["title"] for p in body["planned"]] == ["Mono-material pots", "Returnable crates"]
    assert body["planned"][1]["author_email"] == "evaluator@example.test"
    assert body["errors"] == [] and body["created"] == []
    assert not Idea.objects.exists()

    bad = GOOD + "Ghost,Who?,nobody@example.test,,Leeds,\n"
    url, response = api_import(client, challenge, bad, dry_run=True)
    contract.check("POST", url, response)
    body = response.json()
    assert body["ok"] is False and body["planned"] == []
    assert body["errors"] == [{"row": 4, "field": "author_email",
                               "message": "No account with this e-mail address."}]


def test_api_import_creates_all_rows_or_answers_422_with_the_report(client_for, challenge,
                                                                    fields, contract):
    client = client_for("manager")
    bad = (HEADER + "First,x,contributor@example.test,,Leeds,\n"
           + "Second,x,contributor@example.test,,Leeds,not a number\n"
           + "Third,x,contributor@example.test,,Leeds,\n")
    url, response = api_import(client, challenge, bad, dry_run=False)
    contract.check("POST", url, response)
    error = assert_error_body(response, 422, "invalid")
    assert error["fields"] == {"row 3: saving": ["Enter a number."]}
    assert not Idea.objects.exists()

    url, response = api_import(client, challenge, GOOD, dry_run=False)
    assert response.status_code == 201
    contract.check("POST", url, response)
    body = response.json()
    assert body["dry_run"] is False and body["ok"] is True
    assert sorted(body["created"]) == sorted(Idea.objects.values_list("pk", flat=True))
    assert len(body["created"]) == 2


def test_api_import_without_a_file_or_with_a_bad_one(client_for, challenge, contract):
    client = client_for("manager")
    url = f"/api/v1/challenges/{challenge.pk}/import"
    response = client.post(url)
    contract.check("POST", url, response)
    assert assert_error_body(response, 422, "invalid")["fields"] == {
        "file": ["Choose a CSV file to upload."]}
    response = client.post(url, {"file": upload(b"\xff\xfe\x00bad")})
    assert set(assert_error_body(response, 422, "invalid")["fields"]) == {"file"}
    assert_error_body(client.post("/api/v1/challenges/987654/import", {"file": upload(GOOD)}),
                      404, "not_found")
    assert not Idea.objects.exists()


def test_api_import_of_an_oversized_file(client_for, challenge, settings):
    settings.IMPORT_MAX_BYTES = 50
    _, response = api_import(client_for("admin"), challenge, GOOD, dry_run=True)
    error = assert_error_body(response, 422, "invalid")
    assert "the limit is" in error["fields"]["file"][0]


def test_people_are_looked_up_without_regard_to_case(client_for, challenge):
    User.objects.filter(email="contributor@example.test").update(
        email="contributor@example.test")
    _, response = api_import(client_for("manager"), challenge,
                             "title,description,Author E-Mail\nA,B,Contributor@Example.TEST\n",
                             dry_run=True)
    assert response.json()["ok"] is True
