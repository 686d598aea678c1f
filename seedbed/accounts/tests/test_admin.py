"""The admin site is for the admin role only, and what it changes lands on the audit trail."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from seedbed.accounts.models import OrgUnit, User
from seedbed.accounts.tests.helpers import admin_form_data, last_seq
from seedbed.audit.models import AuditEvent
from seedbed.audit.service import verify_chain


def test_admin_role_opens_the_user_list(client_for, users):
    r = client_for("admin").get("/admin/accounts/user/")
    assert r.status_code == 200
    assert users["contributor"].email in r.content.decode()


@pytest.mark.parametrize("role", ["manager", "leader", "evaluator", "contributor", "partner",
                                  "auditor"])
def test_other_roles_are_sent_to_the_admin_login(client_for, users, role):
    r = client_for(role).get("/admin/accounts/user/")
    assert r.status_code == 302
    assert r["Location"].startswith("/admin/login/")


def test_non_admin_cannot_change_a_user_through_the_admin(client_for, users):
    target = users["contributor"]
    manager = client_for("manager")
    before = last_seq()
    r = manager.post(f"/admin/accounts/user/{target.pk}/change/",
                     admin_form_data(target, role="admin"))
    assert r.status_code == 302
    target.refresh_from_db()
    assert target.role == "contributor"
    assert last_seq() == before


def test_admin_whose_access_lapsed_is_refused(client_for, users):
    admin = users["admin"]
    admin.access_until = timezone.localdate() - timedelta(days=1)
    admin.save(update_fields=["access_until"])
    r = client_for("admin").get("/admin/accounts/user/")
    assert r.status_code == 302


def test_admin_change_to_a_user_is_audited_with_before_and_after(client_for, users, org):
    target = users["contributor"]
    admin = client_for("admin")
    before = last_seq()
    r = admin.post(
        f"/admin/accounts/user/{target.pk}/change/",
        admin_form_data(target, role="evaluator", org_unit=org["sales"].pk, is_active=None))
    assert r.status_code == 302
    target.refresh_from_db()
    assert (target.role, target.org_unit, target.is_active) == ("evaluator", org["sales"], False)
    [event] = AuditEvent.objects.filter(seq__gt=before)
    assert event.verb == "user.updated"
    assert event.actor == users["admin"]
    assert (event.object_type, event.object_id) == ("accounts.user", str(target.pk))
    assert event.changes == {
        "role": {"before": "contributor", "after": "evaluator"},
        "org_unit": {"before": org["plant"].pk, "after": org["sales"].pk},
        "is_active": {"before": True, "after": False},
    }
    assert verify_chain().ok


def test_admin_save_without_changes_writes_no_event(client_for, users):
    target = users["leader"]
    admin = client_for("admin")
    before = last_seq()
    r = admin.post(f"/admin/accounts/user/{target.pk}/change/",
                                 admin_form_data(target))
    assert r.status_code == 302
    assert last_seq() == before


def test_admin_creates_a_user_and_the_creation_is_audited(client_for, users):
    admin = client_for("admin")
    before = last_seq()
    r = admin.post("/admin/accounts/user/add/", {
        "email": "new.hire@example.test", "full_name": "New Hire", "role": "contributor",
        "password1": "a-long-enough-passphrase-7", "password2": "a-long-enough-passphrase-7",
        "usable_password": "true"})
    assert r.status_code == 302
    user = User.objects.get(email="new.hire@example.test")
    assert user.check_password("a-long-enough-passphrase-7")
    [event] = AuditEvent.objects.filter(seq__gt=before)
    assert event.verb == "user.created"
    assert event.changes["email"] == {"before": None, "after": "new.hire@example.test"}
    assert "password" not in event.changes


def test_moving_an_org_unit_in_the_admin_reroots_its_descendants(client_for, org):
    root, ops, plant, sales = org["root"], org["ops"], org["plant"], org["sales"]
    line = OrgUnit.objects.create(name="Line 2", parent=plant)
    assert line.path == f"/{root.pk}/{ops.pk}/{plant.pk}/{line.pk}/"
    admin = client_for("admin")
    before = last_seq()

    r = admin.post(f"/admin/accounts/orgunit/{ops.pk}/change/",
                                 {"name": "Operations", "parent": sales.pk})
    assert r.status_code == 302

    ops.refresh_from_db()
    plant.refresh_from_db()
    line.refresh_from_db()
    assert ops.path == f"/{root.pk}/{sales.pk}/{ops.pk}/"
    assert plant.path == f"/{root.pk}/{sales.pk}/{ops.pk}/{plant.pk}/"
    assert line.path == f"/{root.pk}/{sales.pk}/{ops.pk}/{plant.pk}/{line.pk}/"
    assert line.ancestor_ids() == [root.pk, sales.pk, ops.pk, plant.pk, line.pk]
    assert line.depth == 4
    # Siblings and the rest of the tree are untouched.
    sales.refresh_from_db()
    assert sales.path == f"/{root.pk}/{sales.pk}/"
    [event] = AuditEvent.objects.filter(seq__gt=before)
    assert event.verb == "orgunit.updated"
    assert event.changes == {"parent": {"before": root.pk, "after": sales.pk}}


def test_moving_a_unit_leaves_units_whose_id_merely_shares_a_prefix(org):
    # Paths end in "/" so that /1/901/ never matches /1/9011/; explicit ids make that case.
    root = org["root"]
    a = OrgUnit.objects.create(pk=901, name="A", parent=root)
    b = OrgUnit.objects.create(pk=9011, name="B", parent=root)
    a_child = OrgUnit.objects.create(pk=9012, name="A child", parent=a)
    b_child = OrgUnit.objects.create(pk=9013, name="B child", parent=b)

    a.parent = org["sales"]
    a.save()

    a_child.refresh_from_db()
    b_child.refresh_from_db()
    assert a_child.path == f"{org['sales'].path}901/9012/"
    assert b_child.path == f"/{root.pk}/9011/9013/"


def test_moving_a_unit_to_the_top_makes_it_a_root(org):
    org["ops"].parent = None
    org["ops"].save()
    org["plant"].refresh_from_db()
    assert org["ops"].path == f"/{org['ops'].pk}/"
    assert org["plant"].path == f"/{org['ops'].pk}/{org['plant'].pk}/"


@pytest.mark.parametrize("new_parent", ["ops", "plant"])
def test_a_unit_cannot_be_moved_under_itself_or_its_own_sub_unit(client_for, org, new_parent):
    admin = client_for("admin")
    paths = dict(OrgUnit.objects.values_list("pk", "path"))
    before = last_seq()
    r = admin.post(f"/admin/accounts/orgunit/{org['ops'].pk}/change/",
                   {"name": "Operations", "parent": org[new_parent].pk})
    assert r.status_code == 200
    assert "cannot be placed under itself or one of its own sub-units" in r.content.decode()
    assert dict(OrgUnit.objects.values_list("pk", "path")) == paths
    assert OrgUnit.objects.get(pk=org["ops"].pk).parent == org["root"]
    assert last_seq() == before


def test_only_partner_accounts_are_created_inside_a_partner_organisation(users):
    from django.core.exceptions import ValidationError

    from seedbed.accounts import actions

    campus = users["partner"].partner_org
    with pytest.raises(ValidationError) as raised:
        actions.create_user(users["admin"], email="x@example.test", full_name="X",
                            role="contributor", partner_org=campus)
    assert "partner_org" in raised.value.message_dict
    made = actions.create_user(users["admin"], email="y@example.test", full_name="Y",
                               role="partner", partner_org=campus)
    assert made.partner_org == campus
