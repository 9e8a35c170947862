"""Settings that change with the size of the deployment, read from the environment (see README, "Deployment").

One server needs nothing but its database: private files in a local folder, a cache in files that all of its
processes share. Several servers behind a load balancer share the private files through an S3-compatible object
store (django-storages) when AWS_STORAGE_BUCKET_NAME is set, and the cache through Redis when REDIS_URL is set.
"""

from pathlib import Path

from portal.env import env_int, env_str

LOCAL_PRIVATE_STORAGE = {"BACKEND": "portal.storage.PrivateStorage"}


def private_storage_settings() -> dict:
    """The "private" storage: evidence and generated documents, never given a public address."""
    bucket = env_str("AWS_STORAGE_BUCKET_NAME")
    if not bucket:
        return LOCAL_PRIVATE_STORAGE
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL") or None,
            "region_name": env_str("AWS_S3_REGION_NAME") or None,
            "access_key": env_str("AWS_ACCESS_KEY_ID") or None,
            "secret_key": env_str("AWS_SECRET_ACCESS_KEY") or None,
            "location": env_str("AWS_LOCATION", "private"),
            "default_acl": "private",
            "file_overwrite": False,
            # Downloads are redirects to an address signed for a short while, given only after the portal's
            # access check; the bucket itself stays closed.
            "querystring_auth": True,
            "querystring_expire": env_int("PRIVATE_URL_EXPIRE", 60, minimum=5),
            "addressing_style": env_str("AWS_S3_ADDRESSING_STYLE", "path"),
            "signature_version": "s3v4",
        },
    }


def cache_settings(*, debug: bool, base_dir: Path) -> dict:
    """The one cache every process of the portal reads and writes.

    Sessions, permissions and the dashboard's figures live in it, so every process that serves a request must
    see what another one wrote or removed: a logout, a new generation of figures. Redis when REDIS_URL is set
    (several servers); else files in CACHE_DIR, shared by gunicorn's workers, the task worker and the reminders
    of one server. Only the development server (DEBUG, one process) keeps it in its own memory."""
    url = env_str("REDIS_URL")
    if url:
        return {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}}
    if debug:
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    return {
        "default": {
            # diskcache: an SQLite index and files in one folder, safe for several processes. Django's own file
            # cache unzips a dashboard's body at every visit and lists the whole folder at every write.
            "BACKEND": "portal.file_cache.SharedFileCache",
            "LOCATION": env_str("CACHE_DIR") or str(base_dir / "var" / "cache"),
            # Room for every signed-in user's session and the pieces of a few generations of figures; the entries
            # used least recently leave first.
            "OPTIONS": {"size_limit": env_int("CACHE_SIZE_MB", 1024, minimum=16) * 2**20},
        }
    }


def require_secret_key() -> None:
    """Stop the server's start-up, naming SECRET_KEY, when the portal has no key of its own (DEBUG off)."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        settings.SECRET_KEY  # noqa: B018 - Django refuses an empty key when it is read
    except ImproperlyConfigured:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set: with DEBUG off the portal needs its own secret key."
        ) from None
