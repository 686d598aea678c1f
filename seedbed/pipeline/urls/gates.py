"""Pages: gates."""

urlpatterns: list = []
