from django.contrib import admin
from django.urls import include, path, register_converter

from seedbed.api import api
from seedbed.core import views as core_views
from seedbed.core.converters import IdConverter

register_converter(IdConverter, "id")

admin.site.site_header = "Seedbed administration"
admin.site.site_title = "Seedbed"

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/", include("seedbed.accounts.urls")),
    path("audit/", include("seedbed.audit.urls")),
    path("strategy/", include("seedbed.strategy.urls")),
    path("notifications/", include("seedbed.notifications.urls")),
    path("pipeline/", include("seedbed.pipeline.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("", include("seedbed.ideas.urls")),
    path("", include("seedbed.core.urls")),
]

handler400 = "seedbed.core.views.bad_request"
handler403 = "seedbed.core.views.permission_denied"
handler404 = "seedbed.core.views.page_not_found"
handler500 = "seedbed.core.views.server_error"
