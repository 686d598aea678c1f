from seedbed.audit.tests.conftest import audit_rows_cleared  # noqa: F401  (shared fixture)
