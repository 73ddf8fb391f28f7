"""Django's RedisCache, with one Redis client a process rather than one a call.

Django's RedisCacheClient keeps its connection pool, but makes a new `redis.Redis` around it for
every command (`get_client`), and redis-py's constructor fills a table of a few hundred response
callbacks each time: a third of a millisecond for each cache round trip, two or three a catalogue
page. A `redis.Redis` is safe to share between threads (each command takes a connection from the
pool and gives it back), so one is made for each pool and kept.

Settings name it as `kcc_portal.cache.RedisCache`; the class keeps Django's name, which
services/catalogue_cache.py looks for (a cache shared by every process).
"""

from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            pool = self._get_connection_pool(write)
            client = self._clients[index] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
