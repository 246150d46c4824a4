"""What check-config warns about: a config that loads but contradicts its own standards."""

from __future__ import annotations

from shared.config import Settings


def config_warnings(settings: Settings) -> list[str]:
    """Sentences for the admin; none of these stop the hub."""
    return _steps_over_total(settings) + _uncovered_actors(settings) + _idle_cutoff(settings)


def _steps_over_total(settings: Settings) -> list[str]:
    warnings = []
    for i, service in enumerate(settings.services):
        required = sum(step.minutes for step in service.steps if not step.optional)
        if required > service.total_minutes:
            warnings.append(
                f"services[{i}] ({service.code}): the mandatory steps add up to "
                f"{required:g} minutes, more than total_minutes {service.total_minutes:g}; "
                "an officer who keeps every step's standard still misses the service standard"
            )
    return warnings


def _uncovered_actors(settings: Settings) -> list[str]:
    staff = {role for counter in settings.counters for role in counter.staff}
    if not staff and not settings.office.officials:
        return []  # no roles declared: nothing to check the actors against
    covered = staff | set(settings.office.officials) | set(settings.office.applicants)
    warnings = []
    for i, service in enumerate(settings.services):
        for j, step in enumerate(service.steps):
            candidates = (step.actor, *getattr(step, "substitutes", ()))
            if not any(actor in covered for actor in candidates):
                warnings.append(
                    f"services[{i}].steps[{j}] ({service.code}, {step.name!r}): actor "
                    f"{step.actor!r} is on no counter's staff, not in office.officials and "
                    "has no substitute who is; add it to counters[].staff or office.officials, "
                    "or name a substitute"
                )
    return warnings


def _idle_cutoff(settings: Settings) -> list[str]:
    office = settings.office
    if office.ticket_cutoff_minutes and not office.opening_hours:
        return [
            f"office.ticket_cutoff_minutes ({office.ticket_cutoff_minutes}) has no effect "
            "without office.opening_hours: there is no closing time to count back from"
        ]
    return []
