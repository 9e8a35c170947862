"""The queue's worker (django-tasks-db's `db_worker`) that also takes up builds whose worker died.

The package's worker never looks again at a task it marked running; this one, when it starts and then every
REAP_EVERY seconds between tasks, hands builds cut off by a dead worker back to the queue
(outputs.tasks.requeue_abandoned).
"""

import logging
import time

from django_tasks_db.management.commands import db_worker

from outputs.tasks import requeue_abandoned

logger = logging.getLogger(__name__)

REAP_EVERY = 5.0


class Worker(db_worker.Worker):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.reaped_at = 0.0

    def reap(self, *, starting: bool = False) -> None:
        self.reaped_at = time.monotonic()
        requeued = requeue_abandoned(worker_starting=starting)
        if requeued:
            logger.warning("Took up again %d document build(s) cut off by a stopped worker", requeued)

    def run(self) -> None:
        self.reap(starting=True)
        super().run()

    def run_task(self, db_task_result) -> None:
        super().run_task(db_task_result)
        if time.monotonic() - self.reaped_at > REAP_EVERY:
            self.reap()


class Command(db_worker.Command):
    def handle(self, **options):
        # The package builds its Worker by name in this module's parent: point it at the one above.
        original = db_worker.Worker
        db_worker.Worker = Worker
        try:
            super().handle(**options)
        finally:
            db_worker.Worker = original
