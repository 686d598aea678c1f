"""Pages: resources."""

urlpatterns: list = []
