"""gunicorn.conf.py: the settings every web server of the portal starts with."""

import gc
import runpy
import weakref
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


class Node:
    pass


def test_a_started_worker_takes_the_loaded_portal_out_of_the_collectors_view():
    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    garbage = Node()
    garbage.itself = garbage  # a cycle nobody refers to any more: collected first, not frozen with the rest
    gone = weakref.ref(garbage)
    del garbage
    thresholds = gc.get_threshold()
    try:
        conf["post_worker_init"](None)
        assert gc.get_freeze_count() > 10_000, "Django, the models and the settings are frozen"
        assert gone() is None
        assert gc.get_threshold() == (10_000, 20, 20), "a worker collects every 10,000 new objects, not every 700"
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)
