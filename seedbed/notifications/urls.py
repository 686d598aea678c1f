from django.urls import path

from seedbed.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<id:pk>/open/", views.notification_open, name="open"),
    path("<id:pk>/read/", views.notification_read, name="read"),
    path("read-all/", views.notification_read_all, name="read_all"),
    path("preferences/", views.preferences, name="preferences"),
    path("webhooks/", views.webhook_list, name="webhook_list"),
    path("webhooks/new/", views.webhook_create, name="webhook_create"),
    path("webhooks/<id:pk>/", views.webhook_detail, name="webhook_detail"),
    path("webhooks/<id:pk>/switch/", views.webhook_switch, name="webhook_switch"),
    path("webhooks/<id:pk>/delete/", views.webhook_delete, name="webhook_delete"),
    path("webhooks/<id:pk>/test/", views.webhook_test, name="webhook_test"),
    path("webhooks/<id:pk>/deliveries/<id:delivery_pk>/redeliver/", views.webhook_redeliver,
         name="webhook_redeliver"),
]
