"""Strategy pages, one module per area; route names carry the area as a prefix."""

from seedbed.strategy.urls import context, documents, focus, glance, partners, planning, resources

app_name = "strategy"
urlpatterns = [
    *glance.urlpatterns,
    *context.urlpatterns,
    *focus.urlpatterns,
    *documents.urlpatterns,
    *planning.urlpatterns,
    *resources.urlpatterns,
    *partners.urlpatterns,
]
