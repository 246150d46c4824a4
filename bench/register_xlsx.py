"""Benchmark: the XLSX export of a semester's visit register (issue: < 5 s for both sheets).

Builds 39,000 visits (130 office days x 300) of the Lamongan services of config.yaml, as
the register fold would give them: AK1 most of the day's work, optional steps mostly
skipped, some returned for a missing document, some transferred to counselling, priority
visitors, sex and education recorded. From them the two real tables (`register_table`,
`register_step_table`, ~275,000 step rows), then times `to_xlsx` on each sheet alone and
on both as the download writes them, and prints the file sizes.

    .venv/bin/python -m bench.register_xlsx [--days 130] [--visits 300] [--repeat 2]
        [--level 1]   # the zip's compresslevel (default: the writer's own)

Run with PYTHONPATH pointing at another checkout to time that checkout's `to_xlsx` (the
bench only uses `shared.reports.exports`, which both writers share).
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bench.history import EDUCATION, SERVICE_MIX, bench_office, office_days
from shared.config import load_settings
from shared.domain.catalogue import Catalogue
from shared.reports.exports import ExportHeader, register_step_table, register_table, to_xlsx
from shared.reports.register import StepTime, VisitOutcome, VisitRow

ROOT = Path(__file__).resolve().parents[1]
ZONE = ZoneInfo("Asia/Jakarta")


def visits(catalogue: Catalogue, days: list[date], per_day: int) -> list[VisitRow]:
    """Register rows shaped like the fold's: times, steps, outcomes, attributes."""
    rng = random.Random(11)
    services = {s.code: s for s in catalogue.services}
    rows = []
    for day in days:
        opening = datetime.combine(day, datetime.min.time(), ZONE) + timedelta(hours=7, minutes=30)
        numbers: dict[str, int] = {}
        for _ in range(per_day):
            code = rng.choices(list(SERVICE_MIX), weights=list(SERVICE_MIX.values()))[0]
            service = services[code]
            numbers[code] = numbers.get(code, 0) + 1
            issued = opening + timedelta(seconds=rng.triangular(0, 390, 90) * 60)
            called = issued + timedelta(seconds=rng.uniform(60, 3600))
            started = called + timedelta(seconds=rng.uniform(20, 120))
            counter = str(rng.randrange(1, 12))
            steps, moment, returned = [], started, None
            for index, step in enumerate(service.steps):
                if step.optional and rng.random() < 0.8:
                    continue
                minutes = step.minutes * rng.lognormvariate(-0.1, 0.35)
                moment += timedelta(minutes=minutes)
                handed = step.handover and rng.random() < 0.5
                steps.append(
                    StepTime(code, index + 1, step.name, step.actor, step.minutes, minutes, handed)
                )
                if index == 1 and rng.random() < 0.08:
                    returned = rng.choice(service.requirements)
                    break
            skipped = rng.random() < 0.05
            transferred = not returned and code.startswith("ak1") and rng.random() < 0.05
            outcome = (
                VisitOutcome.TERLEWAT
                if skipped
                else VisitOutcome.DIKEMBALIKAN
                if returned
                else VisitOutcome.SELESAI
            )
            attributes = (
                (("jenis_kelamin", rng.choice("LP")), ("pendidikan", rng.choice(EDUCATION)))
                if service.attributes and not skipped and rng.random() < 0.9
                else ()
            )
            rows.append(
                VisitRow(
                    office_day=day,
                    ticket_id=f"{day}-{code}-{numbers[code]}",
                    number=f"{service.prefix}-{numbers[code]:03d}",
                    service=code,
                    service_name=service.name,
                    issued_service=code,
                    priority=rng.choice(["lansia", "disabilitas", "ibu_hamil"])
                    if rng.random() < 0.05
                    else None,
                    issued_at=issued,
                    first_called_at=called,
                    started_at=None if skipped else started,
                    finished_at=None if skipped else moment,
                    calls=3 if skipped else 1,
                    counters=(counter, "konseling") if transferred else (counter,),
                    officers=(f"petugas-{counter}",),
                    outcome=outcome,
                    missing_document=returned,
                    missing_document_listed=returned is not None,
                    transferred_to=("Meja Konseling",) if transferred else (),
                    wait_minutes=(called - issued).total_seconds() / 60,
                    service_minutes=None if skipped else (moment - started).total_seconds() / 60,
                    service_standard_minutes=None if skipped else service.total_minutes,
                    steps=() if skipped else tuple(steps),
                    legs=(),
                    attributes=attributes,
                )
            )
    return rows


def timed(action):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def timed_cpu(action):  # type: ignore[no-untyped-def]
    """Wall and CPU seconds: other work on the machine inflates the first, barely the second."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = action()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=130)
    parser.add_argument("--visits", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--level", type=int, help="zip compresslevel of the lean writer")
    args = parser.parse_args()
    if args.level is not None:
        from shared.reports import xlsx  # only the lean writer has a level to choose

        xlsx.COMPRESSLEVEL = args.level
    catalogue = bench_office(load_settings(ROOT / "config.yaml").catalogue())
    days = office_days(args.days, date(2026, 7, 1))
    made, rows = timed(lambda: visits(catalogue, days, args.visits))
    register = register_table(rows, catalogue)
    steps = register_step_table(rows)
    print(
        f"{len(rows):,} visits made in {made:.1f} s: register {len(register.rows):,} rows x "
        f"{len(register.columns)} columns, steps {len(steps.rows):,} rows x {len(steps.columns)}"
    )
    header = ExportHeader("Dinas Tenaga Kerja Kabupaten Lamongan", "Semester II 2026", made_at())
    for run in range(1, args.repeat + 1):
        figures = []
        for label, tables in (
            ("register sheet", [register]),
            ("steps sheet", [steps]),
            ("both (the download)", [register, steps]),
        ):
            wall, cpu, data = timed_cpu(lambda t=tables: to_xlsx(t, header))
            figures.append(f"{label} {wall:.2f} s (cpu {cpu:.2f} s, {len(data) / 1e6:.1f} MB)")
        print(f"run {run}: " + ", ".join(figures))


def made_at() -> datetime:
    return datetime(2026, 12, 2, 14, 5, tzinfo=ZONE)


if __name__ == "__main__":
    main()
