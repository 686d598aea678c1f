from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "seedbed.audit"
    label = "audit"
    verbose_name = "Audit trail"
