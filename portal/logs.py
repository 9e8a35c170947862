import logging


class QuietClientErrors(logging.Filter):
    """Drop the traceback of requests refused with a 4xx status (PermissionDenied, Http404): they are expected
    answers to the user, not faults; the log keeps the one-line record of them."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
