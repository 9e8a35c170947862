"""The collected static files, as WhiteNoise serves them (compressed, named by their content's hash)."""

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage

# A page names a dozen stylesheets, scripts and icons; the process remembers at most this many addresses.
REMEMBERED = 1000


class StaticStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's storage, remembering the address of each file it was asked for.

    The manifest of hashed names is read once, when the process starts, and does not change while it runs; without
    this, every page looked each of its files up in it again and built the address anew. A file missing from the
    manifest is still refused at each ask."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._addresses: dict[tuple[str, bool], str] = {}

    def url(self, name, force=False):
        key = (name, force or not settings.DEBUG)
        try:
            return self._addresses[key]
        except KeyError:
            address = super().url(name, force)
            if len(self._addresses) < REMEMBERED:
                self._addresses[key] = address
            return address
