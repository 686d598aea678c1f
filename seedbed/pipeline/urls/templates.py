"""Pages: templates."""

urlpatterns: list = []
