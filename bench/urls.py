"""seedbed.urls plus /bench/baseline: the cheapest page Django can serve through the same
middleware, to compare real pages against."""

from django.http import HttpResponse
from django.urls import path

from seedbed.urls import handler400, handler403, handler404, handler500  # noqa: F401
from seedbed.urls import urlpatterns as seedbed_urlpatterns


def baseline(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/baseline", baseline, name="bench_baseline"), *seedbed_urlpatterns]
