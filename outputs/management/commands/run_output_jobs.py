"""Run the documents waiting to be generated (the consolidated PDF), for a separate worker process.

The web process runs them itself in a thread (OUTPUT_JOBS_IN_WEB_PROCESS=1, the default). Deployments that
prefer a worker of their own set it to 0 and run `python manage.py run_output_jobs --loop` as a service. Jobs
interrupted by a restart are taken up again.
"""

import time

from django.core.management import BaseCommand
from django.db import close_old_connections

from outputs.jobs import run_pending_jobs


class Command(BaseCommand):
    help = "Generate the documents waiting in the queue (once, or continuously with --loop)."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Keep running and look for new jobs.")
        parser.add_argument("--interval", type=float, default=3.0, help="Seconds between looks with --loop.")

    def handle(self, *args, loop, interval, **options):
        while True:
            close_old_connections()
            ran = run_pending_jobs()
            if ran:
                self.stdout.write(f"{ran} job(s) done")
            if not loop:
                return
            time.sleep(interval)
