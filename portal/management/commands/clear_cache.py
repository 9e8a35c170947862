"""Empty the portal's shared cache (Redis, or the files of CACHE_DIR) after the database was changed behind the
portal's back: a backup restored, rows corrected by hand in SQL. Run it on one server, with the same settings as
the portal (`.venv/bin/python manage.py clear_cache`); every server sees the empty cache at its next request.

What the cache holds is always rebuilt from the database: who may do what, the directive's tasks and targets,
the dashboard's figures, the unread notices, the signed-in users (sessions stay in the database). Nobody is
logged out. Changes made through the portal itself never need this: they replace what the cache holds at once.
"""

from django.core.cache import caches
from django.core.management import BaseCommand
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = (
        "Empty the shared cache after the database was restored from a backup or changed by hand; everything in "
        "it is rebuilt from the database at the next request."
    )

    def handle(self, *args, **options):
        for alias in caches:
            caches[alias].clear()
            self.stdout.write(_("Cache “%(alias)s” emptied.") % {"alias": alias})
