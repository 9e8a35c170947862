import os

from django.core.asgi import get_asgi_application

from portal.deploy import require_secret_key

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
require_secret_key()
application = get_asgi_application()
