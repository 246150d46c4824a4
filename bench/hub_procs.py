"""The hub side of the load bench: its config, its accounts, its processes and their CPU."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import requests
import yaml

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "bench-rahasia-petugas"
START_TIMEOUT = 30
STOP_TIMEOUT = 10
PROVISION_PROCESSES = 3
# The counters of the bench call from the AK1 lines, the busiest of a labour office.
AK1_SERVICES = ["ak1-baru", "ak1-perpanjangan"]
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
# An error logged by the hub, or werkzeug's access log line of a 5xx answer.
SERVER_ERROR = re.compile(r"ERROR|Error:|\" 5\d\d ")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def counter_ids(count: int) -> list[str]:
    return [f"c{i:02d}" for i in range(1, count + 1)]


def officer_name(counter: str) -> str:
    """Each officer has a counter of their own."""
    return f"petugas-{counter}"


def tv_names(count: int) -> list[str]:
    return [f"tv-{i:02d}" for i in range(1, count + 1)]


def hub_env(hub_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a process that imports the hub: its `shared` from `hub_dir`.

    The virtualenv may hold an editable install of another checkout; PYTHONPATH wins over it.
    """
    return {**os.environ, "PYTHONPATH": str(hub_dir), **extra}


def describe(hub_dir: Path) -> str:
    """Which hub is measured: its folder and commit."""
    result = subprocess.run(
        ["git", "-C", str(hub_dir), "log", "-1", "--format=%h %cd", "--date=short"],
        capture_output=True,
        text=True,
        check=False,
    )
    return f"{hub_dir} at {result.stdout.strip() or 'no git commit'}"


def write_config(
    hub_dir: Path, folder: Path, counters: int, store_url: str, key_prefix: str, voice: bool
) -> Path:
    """config.yaml with its services, but `counters` counters each serving the AK1 lines.

    The office id is unique per run: with Redis it names the Socket.IO channel, and another
    hub on the same Redis (a test run, another bench) must not hear this bench's calls.
    """
    data = yaml.safe_load((hub_dir / "config.yaml").read_text(encoding="utf-8"))
    data["office"]["id"] = f"bench-{uuid.uuid4().hex[:8]}"
    data["counters"] = [
        {"id": cid, "name": f"Loket {i}", "services": list(AK1_SERVICES)}
        for i, cid in enumerate(counter_ids(counters), start=1)
    ]
    # Every service needs a counter; the last one also takes the rest (the bench issues
    # AK1 tickets only, so it calls like the others).
    others = [s["code"] for s in data["services"] if s["code"] not in AK1_SERVICES]
    data["counters"][-1]["services"] += others
    data["store"] = {"url": store_url}
    if store_url.startswith("redis"):
        data["store"]["key_prefix"] = key_prefix
    data["server"] = {**data.get("server", {}), "host": "127.0.0.1"}
    data["voice"]["enabled"] = voice
    config = folder / "config.yaml"
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return config


def provision(
    hub_dir: Path, config: Path, officers: list[str], displays: list[str], kiosks: list[str]
) -> dict[str, str]:
    """Add officers and pair devices through the `antrian` CLI; the device tokens by name.

    Each password hash takes a good part of a second on a busy machine, so the officers are
    split over a few processes (the accounts stream takes concurrent appends).
    """
    groups = [officers[i::PROVISION_PROCESSES] for i in range(PROVISION_PROCESSES)]
    runs = []
    for i, group in enumerate(groups):
        devices = (displays, kiosks) if i == 0 else ([], [])
        runs.append(_provision_process(hub_dir, config, group, *devices))
    tokens = {}
    try:
        for run in runs:
            out, err = run.communicate(timeout=600)
            if run.returncode != 0:
                raise SystemExit(f"provisioning failed:\n{err}{out}")
            tokens.update(json.loads(out.strip().splitlines()[-1]))
    finally:
        for run in runs:  # on Ctrl+C or a failure, none of them outlives the bench
            if run.poll() is None:
                run.kill()
                run.wait()
    return tokens


def _provision_process(hub_dir: Path, config: Path, officers, displays, kiosks):
    # Run as a script: the hub's folder may have a bench/ of its own without this module.
    return subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "bench" / "provision.py"),
            "--config",
            str(config),
            "--password",
            PASSWORD,
            "--officers",
            ",".join(officers),
            "--displays",
            ",".join(displays),
            "--kiosks",
            ",".join(kiosks),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=hub_dir,
        env=hub_env(hub_dir),
    )


@dataclass
class HubProcess:
    """One `python -m shared run` on its own port and process group."""

    config: Path
    hub_dir: Path = ROOT
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    log: Path = field(default=Path())

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, secret_key: str) -> None:
        self.log = self.config.parent / f"hub-{self.port}.log"
        with self.log.open("w") as out:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "shared",
                    "run",
                    "--config",
                    str(self.config),
                    "--port",
                    str(self.port),
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=self.hub_dir,
                # Both hubs of the Redis scenario must accept the same login tokens.
                env=hub_env(self.hub_dir, PYTHONUNBUFFERED="1", ANTRIAN_SECRET_KEY=secret_key),
                # Its own group, so the voice worker it spawns ends with it.
                start_new_session=True,
            )
        deadline = time.monotonic() + START_TIMEOUT
        while not self._healthy():
            if time.monotonic() > deadline:
                raise SystemExit(f"the hub on {self.url} did not start (log: {self.log})")
            time.sleep(0.1)

    def _healthy(self) -> bool:
        if self.process and self.process.poll() is not None:
            raise SystemExit(f"the hub exited early:\n{self.log.read_text()}")
        try:
            return requests.get(f"{self.url}/api/health", timeout=1).status_code == 200
        except requests.RequestException:
            return False

    def stop(self) -> None:
        """SIGTERM to the whole group, then SIGKILL if it lingers."""
        if self.process is None:
            return
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                break
            try:
                self.process.wait(timeout=STOP_TIMEOUT)
                if sig is signal.SIGTERM:
                    # The group may still hold the voice worker.
                    os.killpg(self.process.pid, signal.SIGKILL)
                break
            except subprocess.TimeoutExpired:
                continue
            except ProcessLookupError:
                break

    def cpu_seconds(self) -> tuple[float, float]:
        """CPU used so far by the hub process, and by its children (the voice worker)."""
        if self.process is None:
            return 0.0, 0.0
        own = _cpu_of(self.process.pid)
        children = sum(_cpu_of(pid) for pid in _descendants(self.process.pid))
        return own, children

    def keep_log(self, name: str) -> Path:
        """Copy the log out of the temporary folder, to read after the run."""
        kept = ROOT / "instance" / f"hub_load-{name}.log"
        if self.log.exists():
            kept.write_bytes(self.log.read_bytes())
        return kept

    def errors_in_log(self) -> list[str]:
        """Tracebacks, error lines and 5xx answers in the hub's output."""
        if not self.log.exists():
            return []
        lines = self.log.read_text(errors="replace").splitlines()
        return [line for line in lines if "Traceback" in line or SERVER_ERROR.search(line)]


def _cpu_of(pid: int) -> float:
    """utime + stime from /proc/<pid>/stat, in seconds (0 once the process is gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    # The command name may hold spaces; the fields after its closing parenthesis do not.
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                children = [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
            found.extend(children)
            todo.extend(children)
    return found


def drop_redis_keys(url: str, prefix: str) -> int:
    import redis

    client = redis.Redis.from_url(url)
    try:
        keys = list(client.scan_iter(match=f"{prefix}:*"))
        for key in keys:
            client.delete(key)
        return len(keys)
    finally:
        client.close()
