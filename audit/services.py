from audit.models import AuditEntry


def log_action(
    actor,
    action: str,
    *,
    report=None,
    reporting_year=None,
    agency=None,
    from_state: str = "",
    to_state: str = "",
    version: int | None = None,
    message: str = "",
    changes: list | None = None,
    at=None,
) -> AuditEntry:
    """Record an action. `changes` is a list of {"field": label, "old": text, "new": text} items."""
    if report is not None:
        reporting_year = reporting_year or report.reporting_year
        agency = agency or report.agency
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        report=report,
        reporting_year=reporting_year,
        agency=agency,
        from_state=from_state,
        to_state=to_state,
        version=version,
        message=message,
        changes=changes or [],
        **({"created_at": at} if at is not None else {}),
    )
