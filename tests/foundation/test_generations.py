"""Each generation of cached data is read from the shared cache once per request (portal.cache)."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory

from portal import cache as generations


def test_a_request_reads_each_generation_once_and_sees_what_it_replaces():
    reads = []

    def view(request):
        first = generations.current("test:generation")
        assert generations.current("test:generation") == first
        cache.set("test:generation", "from another process", None)
        assert generations.current("test:generation") == first  # the request keeps the one it started with
        generations.renew("test:generation")
        reads.append(generations.current("test:generation"))
        return HttpResponse()

    with mock.patch.object(cache, "get_or_set", wraps=cache.get_or_set) as get_or_set:
        generations.GenerationsMiddleware(view)(RequestFactory().get("/"))
    assert get_or_set.call_count == 1
    assert reads[0] == cache.get("test:generation") != "from another process"


def test_outside_a_request_every_read_goes_to_the_cache():
    with pytest.raises(RuntimeError):
        generations.GenerationsMiddleware(mock.Mock(side_effect=RuntimeError))(RequestFactory().get("/"))
    before = generations.current("test:generation")
    cache.set("test:generation", "changed elsewhere", None)
    assert generations.current("test:generation") == "changed elsewhere" != before
