"""Pages: validation."""

urlpatterns: list = []
