"""Benchmark: a real hub under office load, through its public HTTP and Socket.IO API only.

Starts `python -m shared run` (SQLite; or Redis with two hub processes, commands into one and
the TVs on the other), pairs TVs, signs in officers, each with the Socket.IO panel of its own
counter, and measures how fast a call reaches every TV and every panel:

  one at a time  an officer calls the next number, waits until it is on every TV, then
                 starts and finishes the visit; the next officer calls
  bursts         every officer calls at the same moment (a barrier), N times
  throughput     every officer cycles call-next / start / finish as fast as the hub answers

Each officer waits for its panel's state refresh after a command, as the real panel does.
Checks under load (FAIL exits 1): every TV got every call exactly once and in the hub's
order; after each burst no panel shows a stale ticket; no client was dropped.

    .venv/bin/python -m bench.hub_load [--store sqlite|redis|both] [--quick]
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import requests

from bench import hub_procs
from bench.hub_procs import HubProcess
from bench.load_clients import (
    HTTP_TIMEOUT,
    Officer,
    Panel,
    Phase,
    Screen,
    login,
    now,
    step_walks,
)
from bench.load_report import Checks, PhaseStats, print_report

ROOT = Path(__file__).resolve().parents[1]
DELIVERY_TIMEOUT = 30  # seconds a call may take to reach every TV before it counts as lost
SETTLE_QUIET = 0.5  # panels idle this long means the burst has settled
SETTLE_TIMEOUT = 30
SETUP_THREADS = 8


@dataclass
class Options:
    tvs: int = 20
    counters: int = 50
    phones: int = 5
    calls: int = 20
    bursts: int = 5
    seconds: float = 10.0
    preload: int = 0
    voice: bool = True
    redis: str = "redis://127.0.0.1:6379/13"
    hub_dir: Path = ROOT


@dataclass
class LoadRun:
    """The clients of one store's run and what they did, phase by phase."""

    options: Options
    command_hub: HubProcess
    screen_hub: HubProcess
    hubs: list[HubProcess]
    tokens: dict[str, str]
    screens: list[Screen] = field(default_factory=list)
    officers: list[Officer] = field(default_factory=list)
    phases: list[PhaseStats] = field(default_factory=list)
    stale_panels: list[str] = field(default_factory=list)
    walks: dict[str, int] = field(default_factory=dict)
    issued: int = 0
    issue_failures: dict[int, int] = field(default_factory=dict)
    _issue_lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def tvs(self) -> list[Screen]:
        return [s for s in self.screens if s.kind == "tv"]

    # --- setting up -------------------------------------------------------------------------

    def setup(self) -> None:
        """Officers signed in, a line of tickets, then every screen and panel connected."""
        self.walks = step_walks(self.command_hub.url)
        self.sign_in()
        if self.options.preload:
            say(f"preloading a day of {self.options.preload} visits")
            self.preload(self.options.preload)
        status_tokens = self.fill_line()
        self.connect(status_tokens)

    def sign_in(self) -> None:
        counters = hub_procs.counter_ids(self.options.counters)
        say(f"signing in {len(counters)} officers")
        url = self.command_hub.url
        with ThreadPoolExecutor(SETUP_THREADS) as pool:
            bearer = list(
                pool.map(
                    lambda c: login(url, hub_procs.officer_name(c), hub_procs.PASSWORD), counters
                )
            )
        for counter, token in zip(counters, bearer, strict=True):
            panel = Panel(url, counter, token)
            self.officers.append(
                Officer(hub_procs.officer_name(counter), counter, token, url, panel)
            )

    def fill_line(self) -> list[str]:
        """Enough tickets for every scenario; the status tokens of the phones' tickets."""
        opts = self.options
        # The phones follow the first tickets, which the first scenario calls.
        followed = [self.issue().get("status_url") for _ in range(opts.phones)]
        pool_size = opts.calls + opts.bursts * opts.counters + 2 * opts.counters
        say(f"issuing {pool_size} tickets")
        self.issue_many(max(0, pool_size - opts.phones))
        return [url.rsplit("/", 1)[1] for url in followed if url]

    def connect(self, status_tokens: list[str]) -> None:
        for name in hub_procs.tv_names(self.options.tvs):
            auth = {"token": self.tokens[name]}
            self.screens.append(Screen("tv", name, self.screen_hub.url, auth))
        for token in status_tokens:
            self.screens.append(Screen("phone", token, self.screen_hub.url, {"ticket": token}))
        say(f"connecting {len(self.screens)} TVs and phones, {len(self.officers)} panels")
        connects = [s.connect for s in self.screens] + [o.panel.connect for o in self.officers]
        with ThreadPoolExecutor(SETUP_THREADS) as pool:
            list(pool.map(lambda connect: connect(), connects))
        wait_for(
            lambda: all(o.panel.held() for o in self.officers),
            SETTLE_TIMEOUT,
            "every panel to open its counter",
        )
        self.wait_settled()

    def preload(self, visits: int) -> None:
        """A longer day before any screen connects: `visits` visits served at the counters."""
        Phase.name = "preload"
        self.issue_many(visits)

        def serve_until_empty(officer: Officer) -> list:
            while (call := officer.act("call-next")).status == 200:
                officer.serve(call, self.walks)
            return []

        self.together(serve_until_empty, ceiling=visits * 10 * HTTP_TIMEOUT)
        Phase.name = "setup"

    def issue(self) -> dict:
        """One ticket from the kiosk, as a tap on "Ambil nomor" sends it."""
        service = hub_procs.AK1_SERVICES[self.issued % len(hub_procs.AK1_SERVICES)]
        response = requests.post(
            f"{self.command_hub.url}/api/tickets",
            json={"service": service, "priority": None, "request_id": uuid.uuid4().hex},
            headers={"Authorization": f"Bearer {self.tokens['kiosk-1']}"},
            timeout=HTTP_TIMEOUT,
        )
        with self._issue_lock:
            if response.status_code in (200, 201):
                self.issued += 1
                return response.json()
            failures = self.issue_failures
            failures[response.status_code] = failures.get(response.status_code, 0) + 1
        return {}

    def issue_many(self, count: int) -> None:
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(lambda _: self.issue(), range(count)))

    def close(self) -> None:
        Phase.name = "closing"  # the alerts for TVs leaving are not part of the figures
        clients = [s.close for s in self.screens] + [o.panel.close for o in self.officers]
        with ThreadPoolExecutor(SETUP_THREADS) as pool:
            list(pool.map(lambda close: _quietly(close), clients))
        for officer in self.officers:
            officer.close()

    # --- waiting for the hub --------------------------------------------------------------

    def wait_delivered(self, tickets: list[str]) -> bool:
        """Until every TV has every one of these calls (False if the ceiling passed first)."""
        wanted = set(tickets)

        def delivered() -> bool:
            # A dropped TV gets nothing more; the checks report it, the run goes on.
            live = [tv for tv in self.tvs if tv.client.connected]
            return all(wanted <= {t for _, t, _ in tv.calls} for tv in live)

        return wait_for(delivered, DELIVERY_TIMEOUT, None)

    def wait_settled(self) -> bool:
        """Until no panel has a state fetch running or queued for SETTLE_QUIET seconds."""
        deadline = now() + SETTLE_TIMEOUT
        quiet_since = None
        while now() < deadline:
            if all(o.panel.refresh.idle() for o in self.officers):
                quiet_since = quiet_since or now()
                if now() - quiet_since >= SETTLE_QUIET:
                    return True
            else:
                quiet_since = None
            time.sleep(0.02)
        return False

    # --- the scenarios -------------------------------------------------------------------

    def measured(self, name: str, body) -> PhaseStats:
        """Run one scenario, with the hubs' and this process's CPU and the wall time around it."""
        Phase.name = name
        say(f"scenario: {name}")
        stats = PhaseStats(name, load_before=os.getloadavg()[0])
        cpu_before = [hub.cpu_seconds() for hub in self.hubs]
        bench_before = _own_cpu()
        started = now()
        body(stats)
        stats.wall = now() - started
        stats.bench_cpu = _own_cpu() - bench_before
        for hub, (own, children) in zip(self.hubs, cpu_before, strict=True):
            own_after, children_after = hub.cpu_seconds()
            stats.hub_cpu.append((own_after - own, children_after - children))
        self.phases.append(stats)
        Phase.name = "between"
        return stats

    def one_at_a_time(self, stats: PhaseStats) -> None:
        for i in range(self.options.calls):
            officer = self.officers[i % len(self.officers)]
            call = officer.act("call-next")
            if call.status != 200:
                continue
            if not self.wait_delivered([call.ticket]):
                stats.notes.append(f"call {call.ticket} not on every TV after {DELIVERY_TIMEOUT}s")
            officer.serve(call, self.walks)
        self.wait_settled()

    def bursts(self, stats: PhaseStats) -> None:
        for burst in range(self.options.bursts):
            say(f"burst {burst + 1} of {self.options.bursts}")
            calls = self.together(lambda officer: [officer.act("call-next")])
            tickets = [c.ticket for c in calls if c.status == 200]
            if not self.wait_delivered(tickets):
                stats.notes.append(f"burst {burst + 1}: not every call on every TV")
            if not self.wait_settled():
                stats.notes.append(f"burst {burst + 1}: panels still fetching after the ceiling")
            for officer, call in zip(self.officers, calls, strict=True):
                shown = officer.panel.ticket_id()
                if call.status == 200 and shown != call.ticket:
                    self.stale_panels.append(
                        f"burst {burst + 1}: {officer.counter} shows {shown}, called {call.ticket}"
                    )
            # "Lewati" frees every counter for the next burst in one command (a whole visit
            # is ten commands; the throughput run serves them).
            self.together(lambda officer: [officer.act("skip")])
            self.wait_settled()

    def throughput(self, stats: PhaseStats) -> None:
        deadline = now() + self.options.seconds
        stop = threading.Event()
        kiosk = threading.Thread(target=self.keep_line_filled, args=(stop,), daemon=True)
        kiosk.start()

        def cycle(officer: Officer) -> list:
            while now() < deadline:
                call = officer.act("call-next")
                if call.status != 200:
                    time.sleep(0.05)  # nobody waiting (or an error): a real officer waits too
                    continue
                officer.serve(call, self.walks)
            return []

        started = now()
        self.together(cycle)
        stats.throughput_wall = now() - started
        stop.set()
        kiosk.join(timeout=HTTP_TIMEOUT)
        tickets = [c.ticket for c in self.phase_calls("throughput")]
        if not self.wait_delivered(tickets):
            stats.notes.append("throughput: not every call on every TV")
        self.wait_settled()

    def keep_line_filled(self, stop: threading.Event) -> None:
        """The kiosk: keeps enough people waiting that no officer runs out of numbers."""
        floor = 2 * len(self.officers)
        while not stop.is_set():
            if self.issued - len(self.phase_calls(None)) < floor:
                self.issue_many(10)
            else:
                stop.wait(0.05)

    def together(self, work, ceiling: float | None = None) -> list:
        """Every officer runs `work` in its own thread, released at the same moment."""
        barrier = threading.Barrier(len(self.officers))
        results: list = [[] for _ in self.officers]

        def run(index: int, officer: Officer) -> None:
            try:
                barrier.wait(timeout=HTTP_TIMEOUT)
            except threading.BrokenBarrierError:
                pass  # start anyway: a late thread is slower, not wrong
            results[index] = work(officer)

        threads = [
            threading.Thread(target=run, args=(i, o), daemon=True)
            for i, o in enumerate(self.officers)
        ]
        for thread in threads:
            thread.start()
        deadline = now() + (ceiling or self.options.seconds + 10 * HTTP_TIMEOUT)
        for thread in threads:
            thread.join(timeout=max(0.0, deadline - now()))
        return [r for result in results for r in result]

    def phase_calls(self, phase: str | None) -> list:
        """The calls the hub accepted in this phase (in every phase for None)."""
        return [
            c
            for o in self.officers
            for c in list(o.commands)
            if phase in (None, c.phase) and c.action == "call-next" and c.status == 200
        ]


STARTED = time.monotonic()


def say(text: str) -> None:
    """Progress on stderr, so a slow hub shows where the run is (the table goes to stdout)."""
    print(f"[{time.monotonic() - STARTED:6.1f} s] {text}", file=sys.stderr, flush=True)


def wait_for(condition, timeout: float, what: str | None) -> bool:
    """Poll until `condition` holds; past the ceiling, fail (with `what`) or return False."""
    deadline = now() + timeout
    while now() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    if what:
        raise SystemExit(f"timed out after {timeout} s waiting for {what}")
    return False


def _own_cpu() -> float:
    times = os.times()
    return times.user + times.system


def _quietly(close) -> None:
    try:
        close()
    except Exception:  # closing after a failed run; the hub may already be gone
        return


def run_store(store: str, opts: Options) -> tuple[LoadRun, Checks]:
    """One whole run on one store: its own config, accounts, hub processes and clients."""
    (ROOT / "instance").mkdir(exist_ok=True)
    prefix = f"bench-{uuid.uuid4().hex[:8]}"
    # On the project disk, not /tmp, which may be RAM-backed and hide the cost of fsync.
    with tempfile.TemporaryDirectory(dir=ROOT / "instance") as tmp:
        folder = Path(tmp)
        url = opts.redis if store == "redis" else f"sqlite:///{folder / 'antrian.db'}"
        config = hub_procs.write_config(
            opts.hub_dir, folder, opts.counters, url, prefix, opts.voice
        )
        counters = hub_procs.counter_ids(opts.counters)
        tokens = hub_procs.provision(
            opts.hub_dir,
            config,
            officers=[hub_procs.officer_name(c) for c in counters],
            displays=hub_procs.tv_names(opts.tvs),
            kiosks=["kiosk-1"],
        )
        count = 2 if store == "redis" else 1
        hubs = [HubProcess(config, opts.hub_dir) for _ in range(count)]
        say(f"{store}: starting {len(hubs)} hub process(es)")
        run = None
        try:
            secret = secrets.token_hex(16)
            for hub in hubs:
                hub.start(secret)
            # Commands into the first hub; with two, the TVs and phones hear them on the second.
            run = LoadRun(opts, hubs[0], hubs[-1], hubs, tokens)
            try:
                run.setup()
                run.measured("one at a time", run.one_at_a_time)
                run.measured("bursts", run.bursts)
                run.measured("throughput", run.throughput)
                checks = Checks.of(
                    run, hubs, store
                )  # before closing: a closed client is not a drop
            finally:
                run.close()
            return run, checks
        finally:
            for i, hub in enumerate(hubs):
                hub.stop()
                hub.keep_log(f"{store}-{i + 1}")
            if store == "redis":
                hub_procs.drop_redis_keys(opts.redis, prefix)


def parse_args(argv: list[str] | None) -> tuple[list[str], Options]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", choices=["sqlite", "redis", "both"], default="sqlite")
    parser.add_argument("--tvs", type=int, help="TV clients (default 20)")
    parser.add_argument("--counters", type=int, help="officers, each at its counter (default 50)")
    parser.add_argument("--phones", type=int, help="phones following a ticket (default 5)")
    parser.add_argument("--calls", type=int, help="calls one at a time (default 20)")
    parser.add_argument("--bursts", type=int, help="bursts of every counter at once (default 5)")
    parser.add_argument("--seconds", type=float, help="length of the throughput run (default 10)")
    parser.add_argument(
        "--preload", type=int, help="visits served before the clients connect (default 0)"
    )
    parser.add_argument("--no-voice", action="store_true", help="voice.enabled false in the hub")
    parser.add_argument("--redis", help="Redis URL for --store redis (default DB 13)")
    parser.add_argument(
        "--hub-dir",
        type=Path,
        help="run the hub from this checkout (default: this one), e.g. an older commit",
    )
    parser.add_argument(
        "--quick", action="store_true", help="a smoke run: 3 TVs, 5 counters, small sizes"
    )
    args = parser.parse_args(argv)
    opts = Options()
    if args.quick:
        opts = Options(tvs=3, counters=5, phones=2, calls=10, bursts=2, seconds=3.0)
    names = ("tvs", "counters", "phones", "calls", "bursts", "seconds", "preload", "redis")
    for name in (*names, "hub_dir"):
        if getattr(args, name) is not None:
            setattr(opts, name, getattr(args, name))
    opts.voice = not args.no_voice
    stores = ["sqlite", "redis"] if args.store == "both" else [args.store]
    return stores, opts


def main(argv: list[str] | None = None) -> int:
    stores, opts = parse_args(argv)
    # A SIGTERM ends the run like Ctrl+C: through every finally, so no hub is left running.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    print(
        f"hub load bench: {opts.tvs} TVs, {opts.counters} counters with panels, "
        f"{opts.phones} phones, voice {'on' if opts.voice else 'off'}; "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} (1 min) at start",
    )
    print(f"hub: {hub_procs.describe(opts.hub_dir.resolve())}", flush=True)
    ok = True
    for store in stores:
        started = now()
        run, checks = run_store(store, opts)
        print_report(store, opts, run, checks, now() - started)
        ok = ok and checks.passed
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
