"""Private files: evidence uploaded by agencies and documents the portal generates.

They live in settings.PRIVATE_MEDIA_ROOT, outside static/ and MEDIA_ROOT, and have no public address: every file
is served by a view that first checks who is asking. The folder is read at use (and again whenever the setting
changes, as tests do), so that no migration freezes the folder of one machine.
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import cached_property


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


private_storage = PrivateStorage()
