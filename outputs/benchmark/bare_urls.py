from django.http import HttpResponse
from django.template import engines
from django.urls import path

TEMPLATE = engines["django"].from_string("<!doctype html><title>{{ title }}</title><p>{{ text }}</p>")


def bare(request):
    return HttpResponse(TEMPLATE.render({"title": "Bare", "text": "A bare Django view."}))


urlpatterns = [path("benchmark/bare/", bare)]
