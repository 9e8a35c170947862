"""Settings of the green growth reporting portal.

One module, read from the environment (see README.md, "Environment variables"). With no environment at all the
portal runs on an SQLite file in the project folder, which is what a developer's first `make run` needs.
"""

from datetime import timedelta
from pathlib import Path

from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

from portal.deploy import cache_settings, private_storage_settings
from portal.env import env_bool, env_database, env_int, env_int_list, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
# With DEBUG off there is no fallback: serving refuses to start without the portal's own key
# (portal.deploy.require_secret_key, called by portal/wsgi.py and portal/asgi.py), and Django refuses to sign
# anything with an empty one, so sessions, password-reset links and CSRF tokens are never signed with a key
# printed in the source. Commands that sign nothing (check, makemigrations, migrate) still run.
SECRET_KEY = env_str("SECRET_KEY") or ("django-insecure-development-only-set-SECRET_KEY-in-production" if DEBUG else "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Shows a banner on every page that the content is demonstration data (set by `make run`).
DEMO_MODE = env_bool("DEMO_MODE", False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "portal",
    "assignments",
    "audit",
    "notifications",
    "reports",
    "review",
    "outputs",
    "dashboards",
    "demo",
    # After "outputs", whose db_worker command (the queue's worker plus taking up abandoned builds) wins.
    "django_tasks",
    "django_tasks_db",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Each generation of cached data (portal.cache) read once per request, before the session and the user.
    "portal.cache.GenerationsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.SlidingSessionMiddleware",
    "portal.middleware.PortalLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.hardening.AbsoluteSessionMiddleware",
    "portal.hardening.PrivatePagesMiddleware",
    "portal.hardening.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes requires: refuses logins from a locked-out account or address.
    "axes.middleware.AxesMiddleware",
]

if not DEBUG:
    # Serves the collected static files with far-future caching behind gunicorn; the development server
    # serves them itself.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

# One line per request with the user and the duration (portal.request_log), around everything else.
MIDDLEWARE.insert(0, "portal.request_log.RequestLogMiddleware")

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
                "csp.context_processors.nonce",
            ],
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL", sqlite_path=BASE_DIR / "db.sqlite3")}
# On PostgreSQL the reads every report page makes are prepared once per connection (portal/reads.py); off behind a
# proxy that shares server sessions between connections (PgBouncer in transaction mode).
PREPARED_READS = env_bool("DATABASE_PREPARED_READS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Argon2id at OWASP's recommendation (portal.hashers); PBKDF2 stays listed so passwords stored before are still
# accepted and are rehashed with Argon2id at their owner's next login.
PASSWORD_HASHERS = [
    "portal.hashers.OwaspArgon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: a locked-out account is refused before its password is even checked.
# ModelBackend with each user's permissions kept in the shared cache (portal.auth): no permission query a page.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "portal.auth.CachedPermissionsBackend"]
# Wrong passwords allowed per account and, separately, per address before logins are refused for AXES_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "portal.hardening.lockout_response"
AXES_CLIENT_IP_CALLABLE = "portal.hardening.client_ip"
AXES_VERBOSE = False  # portal.hardening logs every attempt in one line of its own
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Vietnamese first, English available. Dates are dd/mm/yyyy in both (portal/formats/).
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True
FORMAT_MODULE_PATH = ["portal.formats"]

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "portal.static_storage.StaticStorage"
        )
    },
    # Evidence and generated documents: PRIVATE_MEDIA_ROOT, or a shared S3 bucket (portal.deploy).
    "private": private_storage_settings(),
}
# Uploaded evidence is private: it lives outside static/ and is never served by URL, only through views that
# check who is asking (reports.views.evidence_download).
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "var" / "media")
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT") or BASE_DIR / "var" / "private")
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_MB", 10, minimum=1) * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 5_242_880

# One cache shared by every process (portal.deploy.cache_settings): Redis with REDIS_URL, else files in CACHE_DIR.
CACHES = cache_settings(debug=DEBUG, base_dir=BASE_DIR)
# Sessions are written to the database and read from the cache: a page costs no session query, and a session the
# cache has dropped is read back from the database.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# E-mail: the console in development, SMTP from the environment in production.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Cổng báo cáo tăng trưởng xanh <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address the links in e-mails point to (no request exists when cron sends reminders).
PORTAL_BASE_URL = env_str("PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# Reporting rules that an administrator may want to change without touching code.
# The letter's consolidating department and the ministry its report goes to; a year is given the agencies that
# carry their functions on its deadline (Sở Tài chính and Bộ Tài chính from 01/03/2025), see Agency.successor_on.
DEFAULT_CONSOLIDATING_AGENCY = env_str("DEFAULT_CONSOLIDATING_AGENCY", "SKHĐT")
NATIONAL_RECIPIENT = env_str("NATIONAL_RECIPIENT", "BKHĐT")
REMINDER_DAYS_BEFORE = env_int_list("REMINDER_DAYS_BEFORE", [30, 14, 7, 3, 1])
# Long documents (the consolidated PDF) are built by `manage.py db_worker` from a queue kept in the database
# (Django's tasks API; outputs/tasks.py). On SQLite a build still running after this many seconds is taken as cut
# off and queued again (PostgreSQL knows at once when a worker died).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
OUTPUT_BUILD_TIMEOUT = env_int("OUTPUT_BUILD_TIMEOUT", 900, minimum=60)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security: secure by default when DEBUG is off; HTTPS is terminated by the reverse proxy.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600, minimum=60)
# The login lasts SESSION_COOKIE_AGE after the last page opened, not after logging in: somebody writing a long
# report is not logged out while working (portal.middleware.SlidingSessionMiddleware).
# However active the user, a login ends after a working day (portal.hardening.AbsoluteSessionMiddleware).
SESSION_ABSOLUTE_AGE = env_int("SESSION_ABSOLUTE_AGE", 10 * 3600, minimum=60)
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): scripts and styles only from the portal's own files, no inline code or
# style attributes; a template that really needs an inline <script> uses the request's nonce ({{ CSP_NONCE }}).
# data: images are Bootstrap's own icons inside its stylesheet.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Browser features the portal never uses, refused to every page (portal.hardening.PermissionsPolicyMiddleware).
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if env_bool("BEHIND_HTTPS_PROXY", True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # The load balancer asks each server directly over HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A refused request (403, 404) is logged in one line; tracebacks are for server errors.
    "filters": {"quiet_client_errors": {"()": "portal.logs.QuietClientErrors"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["quiet_client_errors"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"weasyprint": {"level": "ERROR"}, "fontTools": {"level": "ERROR"}, "axes": {"level": "WARNING"}},
}
