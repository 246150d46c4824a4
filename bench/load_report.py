"""What the load bench prints: figures per scenario, payload sizes, and the checks."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench.hub_load import LoadRun, Options
    from bench.hub_procs import HubProcess

COLUMN = 21


@dataclass
class PhaseStats:
    """What is known about a scenario apart from its clients' records."""

    name: str
    load_before: float
    wall: float = 0.0
    throughput_wall: float = 0.0  # the cycling itself, without the settling after it
    bench_cpu: float = 0.0
    hub_cpu: list[tuple[float, float]] = field(default_factory=list)  # (own, children) per hub
    notes: list[str] = field(default_factory=list)


def percentile(values: list[float], p: float) -> float:
    """Nearest rank: the smallest value with at least p % of them at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def spread(values: list[float], maximum: bool = True) -> str:
    """p50/p99(/max) in milliseconds."""
    if not values:
        return "-"
    parts = [percentile(values, 50), percentile(values, 99)]
    if maximum:
        parts.append(max(values))
    return "/".join(f"{v * 1000:.0f}" for v in parts)


def arrivals(run: LoadRun) -> list[dict[str, float]]:
    """Per TV: when each ticket's first `ticket_called` arrived."""
    result = []
    for tv in run.tvs:
        first: dict[str, float] = {}
        for at, ticket, _ in tv.calls:
            first.setdefault(ticket, at)
        result.append(first)
    return result


def phase_rows(run: LoadRun) -> list[tuple[str, list[str]]]:
    """The table: one row per figure, one column per scenario."""
    per_tv = arrivals(run)
    caller = {c.ticket: o.panel for o in run.officers for c in o.commands if c.ticket}
    columns = []
    for stats in run.phases:
        calls = run.phase_calls(stats.name)
        each, last, http, own_panel = [], [], [], []
        for call in calls:
            http.append(call.answered - call.started)
            got = [tv[call.ticket] - call.started for tv in per_tv if call.ticket in tv]
            each.extend(got)
            if got and len(got) == len(per_tv):
                last.append(max(got))
            seen = caller[call.ticket].first_seen.get(call.ticket)
            if seen is not None:
                own_panel.append(seen - call.started)
        after_event = [
            lat for o in run.officers for phase, lat in o.panel.after_event if phase == stats.name
        ]
        commands = [c for o in run.officers for c in o.commands if c.phase == stats.name]
        done = sum(1 for c in commands if c.status == 200)
        wall = stats.throughput_wall or stats.wall
        fetches = sum(o.panel.fetches.get(stats.name, 0) for o in run.officers)
        refused = sum(1 for c in commands if c.status != 200)
        own = "+".join(f"{own:.1f}" for own, _ in stats.hub_cpu)  # two hubs: "A+B"
        cpu = f"{own} (+{sum(kids for _, kids in stats.hub_cpu):.1f})"
        columns.append(
            [
                f"{stats.load_before:.2f}",
                str(len(calls)),
                spread(each),
                spread(last),
                spread(http, maximum=False),
                spread(own_panel),
                spread(after_event),
                f"{done / wall:.1f}" if wall else "-",
                f"{fetches / done:.1f}" if done else "-",
                cpu,
                f"{stats.bench_cpu:.1f}",
                f"{stats.wall:.1f}",
                str(refused),
            ]
        )
    labels = [
        "load average (1 min) at start",
        "calls made",
        "call -> ticket_called, each TV ms p50/p99/max",
        "call -> ticket_called, last TV ms p50/p99/max",
        "call-next HTTP answer ms p50/p99",
        "call -> own panel shows it ms p50/p99/max",
        "queue_changed -> panel up to date ms p50/p99/max",
        "commands/s (all officers' commands)",
        "panel state fetches per command (all panels)",
        "hub CPU s (+its voice workers)",
        "bench client CPU s",
        "scenario wall time s",
        "commands refused or failed (not 200)",
    ]
    return [(label, [col[i] for col in columns]) for i, label in enumerate(labels)]


def payload_rows(run: LoadRun) -> list[str]:
    """Bytes of each received Socket.IO packet, per client kind and event, set-up included."""
    totals: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    clients = [(s.kind, s.sizes) for s in run.screens] + [
        ("panel", o.panel.sizes) for o in run.officers
    ]
    for kind, sizes in clients:
        for (phase, event), (count, total, largest) in sizes.by_key.items():
            if phase == "closing":
                continue
            entry = totals[(kind, event)]
            entry[0] += count
            entry[1] += total
            entry[2] = max(entry[2], largest)
    lines = [f"  {'client':<7} {'event':<20} {'received':>9} {'mean bytes':>11} {'max bytes':>10}"]
    for (kind, event), (count, total, largest) in sorted(totals.items()):
        lines.append(f"  {kind:<7} {event:<20} {count:>9} {total / count:>11.0f} {largest:>10}")
    commands = sum(1 for o in run.officers for c in o.commands if c.status == 200)
    for kind in ("tv", "panel", "phone"):
        count = sum(1 for k, _ in clients if k == kind)
        received = sum(t for (k, _), (_, t, _) in totals.items() if k == kind)
        if count and commands:
            per_command = received / count / commands
            lines.append(f"  {kind}: {per_command:,.0f} bytes per accepted command per client")
    return lines


@dataclass
class Checks:
    """Correctness under load; any failure makes the bench exit 1."""

    lines: list[tuple[bool, str]] = field(default_factory=list)
    odd: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return all(ok for ok, _ in self.lines)

    @classmethod
    def of(cls, run: LoadRun, hubs: list[HubProcess], store: str) -> Checks:
        checks = cls()
        # The calls of the scenarios; a preloaded day was called before any TV connected.
        made = {c.ticket for stats in run.phases for c in run.phase_calls(stats.name)}
        checks._every_call_once_in_order(run, made)
        checks.lines.append(
            (
                not run.stale_panels,
                f"no panel shows a stale ticket after a burst settles "
                f"({len(run.stale_panels)} stale)",
            )
        )
        checks.odd.extend(run.stale_panels[:10])
        dropped = [(s.kind, s.name, s.drops) for s in run.screens if s.drops] + [
            ("panel", o.counter, o.panel.drops) for o in run.officers if o.panel.drops
        ]
        checks.lines.append((not dropped, f"no client dropped by the hub ({len(dropped)} dropped)"))
        checks.odd.extend(f"{kind} {name[:12]} dropped {drops[0]}" for kind, name, drops in dropped)
        checks._errors(run, hubs, store)
        for stats in run.phases:
            checks.odd.extend(f"{stats.name}: {note}" for note in stats.notes)
            refused = Counter(
                f"{c.action} {c.status or 'no answer'}"
                for o in run.officers
                for c in o.commands
                if c.phase == stats.name and c.status != 200
            )
            if refused:
                listed = ", ".join(f"{what} x{n}" for what, n in sorted(refused.items()))
                checks.odd.append(f"{stats.name}: refused or failed: {listed}")
        return checks

    def _every_call_once_in_order(self, run: LoadRun, made: set[str]) -> None:
        missing = duplicated = unexpected = disorder = 0
        for tv in run.tvs:
            counts = Counter(ticket for _, ticket, _ in tv.calls)
            missing += len(made - set(counts))
            duplicated += sum(n - 1 for n in counts.values() if n > 1)
            unexpected += len(set(counts) - made)
            keys = [key for _, _, key in tv.calls]
            disorder += sum(1 for a, b in zip(keys, keys[1:], strict=False) if not a < b)
        receipts = len(made) * len(run.tvs)
        self.lines += [
            (not missing, f"every TV got every call ({missing} of {receipts} receipts missing)"),
            (not duplicated, f"no TV got a call twice ({duplicated} duplicates)"),
            (not unexpected, f"no TV got a call nobody made ({unexpected} unexpected)"),
            (not disorder, f"every TV got the calls in the hub's order ({disorder} out of order)"),
        ]

    def _errors(self, run: LoadRun, hubs: list[HubProcess], store: str) -> None:
        commands = [c for o in run.officers for c in o.commands]
        failed = Counter(
            f"{c.action} {c.status or 'no answer'}"
            for c in commands
            if c.status >= 500 or c.status == 0
        )
        fetches: Counter = Counter()
        for officer in run.officers:
            fetches.update({s: n for s, n in officer.panel.statuses.items() if s != 200})
        server_errors = (
            sum(failed.values())
            + sum(n for s, n in fetches.items() if s >= 500)
            + sum(n for s, n in run.issue_failures.items() if s >= 500)
        )
        self.lines.append(
            (not server_errors, f"no 5xx or unanswered request ({server_errors} seen)")
        )
        self.odd.extend(f"command {what}: x{n}" for what, n in sorted(failed.items()))
        self.odd.extend(f"/counter/state answered {s}: x{n}" for s, n in sorted(fetches.items()))
        for officer in run.officers:
            self.odd.extend(f"panel {officer.counter}: {f}" for f in officer.panel.refresh.failures)
        if run.issue_failures:
            self.odd.append(f"kiosk tickets refused: {run.issue_failures}")
        for i, hub in enumerate(hubs):
            errors = hub.errors_in_log()
            if errors:
                kept = f"instance/hub_load-{store}-{i + 1}.log"
                self.odd.append(f"hub {i + 1}: {len(errors)} error lines in its log ({kept})")


def print_report(store: str, opts: Options, run: LoadRun, checks: Checks, took: float) -> None:
    hubs = "2 hub processes (commands into one, TVs and phones on the other)"
    what = hubs if store == "redis" else "1 hub process"
    print(
        f"\n== {store}: {what}; {opts.tvs} TVs, {opts.counters} counters with panels, "
        f"{opts.phones} phones (whole run {took:.0f} s) =="
    )
    print(f"  {'':<46}" + "".join(f"{s.name:>{COLUMN}}" for s in run.phases))
    for label, cells in phase_rows(run):
        print(f"  {label:<46}" + "".join(f"{c:>{COLUMN}}" for c in cells))
    print("\n  payload per received packet (the Socket.IO packet as sent, JSON):")
    for line in payload_rows(run):
        print(line)
    print()
    for ok, line in checks.lines:
        print(f"  {'PASS' if ok else 'FAIL'}  {line}")
    for line in checks.odd[:30]:
        print(f"  note: {line}")
    print(flush=True)
