"""The cache of a single server without Redis: diskcache's Django backend, kept open between requests.

Django closes every cache at the end of each request; diskcache's close shuts its SQLite connections, which
the next request would open again (with their pragmas) for every shard. Each process keeps them instead, one
per thread, as diskcache is written to be used; they are closed when the process ends.
"""

from diskcache import DjangoCache


class SharedFileCache(DjangoCache):
    def close(self, **kwargs):
        """Nothing to release between requests."""
