"""The portal's settings with one bare view as the only page: the floor the benchmark measures pages against.

The same middleware, server and worker count; the view renders one tiny template and reads no database."""

from portal.settings import *  # noqa: F401,F403

ROOT_URLCONF = "outputs.benchmark.bare_urls"
