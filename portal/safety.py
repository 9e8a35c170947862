"""Guards that keep demonstration shortcuts out of a production portal."""

from django.conf import settings
from django.core.management import CommandError
from django.utils.translation import gettext as _

NOT_PRODUCTION_FLAG = "--i-know-this-is-not-production"


def add_demo_guard_argument(parser) -> None:
    parser.add_argument(
        NOT_PRODUCTION_FLAG,
        action="store_true",
        dest="i_know_this_is_not_production",
        help="Load the demonstration even though DEMO_MODE is not set.",
    )


def refuse_demo_outside_demo_mode(options: dict) -> None:
    """The demo publishes its passwords (a superuser's among them): only a portal marked as a demo loads it."""
    if settings.DEMO_MODE or options.get("i_know_this_is_not_production"):
        return
    raise CommandError(
        _(
            "Refusing to load the demonstration: it creates accounts whose password is published in the README, "
            "an administrator's among them. Set DEMO_MODE=1 on a demonstration portal, or pass %(flag)s if this "
            "database is certainly not the production one."
        )
        % {"flag": NOT_PRODUCTION_FLAG}
    )
