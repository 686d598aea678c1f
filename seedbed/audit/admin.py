from __future__ import annotations

from django.contrib import admin

from seedbed.audit import service as audit


class AuditedModelAdmin(admin.ModelAdmin):
    """Admin-site changes land on the audit trail like every other change.

    ``audit_fields`` names what is snapshotted; the admin wraps each save in a transaction, so
    the change and its event commit together.
    """

    audit_fields: tuple[str, ...] = ()

    def save_model(self, request, obj, form, change):
        request._audit_before = (
            audit.snapshot(type(obj).objects.get(pk=obj.pk), self.audit_fields) if change else {}
        )
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        label = obj._meta.model_name
        changes = audit.diff(getattr(request, "_audit_before", {}),
                             audit.snapshot(obj, self.audit_fields))
        if changes:
            verb = f"{label}.updated" if change else f"{label}.created"
            audit.record(request.user, verb, obj, changes)

    def delete_model(self, request, obj):
        before = audit.snapshot(obj, self.audit_fields)
        pk, text = obj.pk, str(obj)
        super().delete_model(request, obj)
        audit.record(request.user, f"{obj._meta.model_name}.deleted", None,
                     audit.diff(before, {}), object_type=obj._meta.label_lower,
                     object_id=pk, object_repr=text)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)
