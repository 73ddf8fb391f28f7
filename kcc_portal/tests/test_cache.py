"""kcc_portal/cache.py: Django's RedisCache with one client a process."""

import threading
import uuid

import pytest
from django.conf import settings

from kcc_portal.cache import RedisCache

pytestmark = pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL")


def make_cache():
    return RedisCache(settings.REDIS_URL, {"KEY_PREFIX": f"test-cache-{uuid.uuid4().hex}"})


def test_it_keeps_one_client_across_calls_and_threads():
    cache = make_cache()
    cache.set("a", 1)
    first = cache._cache.get_client("a")
    seen = []
    thread = threading.Thread(target=lambda: seen.append(cache._cache.get_client("b")))
    thread.start()
    thread.join()

    assert cache._cache.get_client("a", write=True) is first
    assert seen == [first]


def test_it_reads_and_writes_as_django_s_does():
    cache = make_cache()
    cache.set_many({"a": ("version", "<p>page</p>"), "b": 2}, timeout=60)

    assert cache.get_many(["a", "b", "missing"]) == {"a": ("version", "<p>page</p>"), "b": 2}
    assert cache.add("a", "other") is False
    assert cache.incr("b") == 3
    cache.delete_many(["a", "b"])
    assert cache.get_many(["a", "b"]) == {}
