"""Pages: value."""

urlpatterns: list = []
