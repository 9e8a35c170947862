"""Private files: evidence uploaded by agencies and documents the portal generates.

They live in the "private" entry of settings.STORAGES: by default the folder settings.PRIVATE_MEDIA_ROOT, outside
static/ and MEDIA_ROOT, or an S3-compatible bucket shared by several servers (portal.deploy). They have no public
address: every file is served by a view that first checks who is asking, then either streams it from the folder or
redirects to an address of the bucket signed for a short while. The folder is read at use (and again whenever the
setting changes, as tests do), so that no migration freezes the folder of one machine.
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.utils.functional import LazyObject, cached_property, empty


class PrivateStorage(FileSystemStorage):
    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        raise ValueError("Private files have no public address; they are served only through the portal's views.")


class _PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages["private"]


private_storage = _PrivateStorage()


@receiver(setting_changed)
def _storages_changed(*, setting, **kwargs):
    if setting == "STORAGES":
        private_storage._wrapped = empty


def signs_urls(storage) -> bool:
    """An object store that hands out signed addresses (django-storages' S3 backend with querystring auth)."""
    return bool(getattr(storage, "querystring_auth", False))


def private_file_response(file, *, content_type: str, disposition: str, cache_control: str) -> HttpResponse:
    """Serve a private file to a user the calling view has already checked.

    From the local folder the file is streamed; from an object store the browser is redirected to an address signed
    for PRIVATE_URL_EXPIRE seconds that names the file, its type and its caching, so nothing else can be fetched.
    """
    storage = file.storage
    if signs_urls(storage):
        url = storage.url(
            file.name,
            parameters={
                "ResponseContentDisposition": disposition,
                "ResponseContentType": content_type,
                "ResponseCacheControl": cache_control,
            },
        )
        response = HttpResponseRedirect(url)
        response["Cache-Control"] = "private, no-store"
        return response
    response = FileResponse(file.open("rb"), content_type=content_type)
    response["Content-Disposition"] = disposition
    response["Cache-Control"] = cache_control
    return response
