"""gunicorn settings for the portal's web servers: `gunicorn` started in the project folder reads this file.

Every value can be changed from the environment of the service (docs/deploy/portal-web.service).
"""

import multiprocessing
import os

wsgi_app = "portal.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# The usual rule: two workers per core plus one; the PDF is built by the task worker, not here.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# Pages answer in well under a second; a request still running after this long is cut off and logged.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# Restart each worker now and then so that a slow leak never grows for weeks. A restart costs the worker about a
# second and a half of CPU (loading Django and the portal, then drawing each template once): after 2,000 requests
# that was every minute and a half per worker on deadline day, a tenth of the server. After 20,000 it is every
# quarter of an hour at the deadline's pace and every few days otherwise.
max_requests = 20000
max_requests_jitter = 2000
# An upload of evidence arrives whole before the view reads it.
limit_request_line = 8190
# Behind the load balancer (or nginx) on the same network: trust its X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
access_log_format = '%({x-forwarded-for}i)s %(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")


def post_worker_init(worker):
    """The worker has loaded the portal: the tens of thousands of objects that make up Django, the models and the
    settings live as long as the worker does. Take them out of the garbage collector's view (gc.freeze, after one
    full collection so that no garbage is kept), so that its passes no longer walk them again and again: about a
    third of the collector's time on the report form.

    Then collect less often. Python starts a pass over the young objects every 700 new ones; a report form makes
    hundreds of thousands of objects a request, nearly all freed as soon as the request ends (reference
    counting), and the passes found almost nothing while costing about a tenth of a worker's time under load.
    Every 10,000 new objects, with an older generation's pass every 20 young ones, the cycles a request leaves
    (a few thousand objects) are still collected within seconds, for a few megabytes at most."""
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(*COLLECTOR_THRESHOLDS)


# The garbage collector's thresholds in a worker (gc.set_threshold); Python's default is (700, 10, 10).
COLLECTOR_THRESHOLDS = (10_000, 20, 20)
