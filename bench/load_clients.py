"""The clients of the load bench: TVs, phones, officers and their panels, over the public API.

Every client keeps what it saw with `time.monotonic()` stamps, taken in the thread that reads
its socket, so the bench can work out latencies and check order afterwards.
"""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import engineio
import requests
import socketio

HTTP_TIMEOUT = 20  # seconds; far above any answer the bench expects, so a hang is an error
CONNECT_TIMEOUT = 15


class _InOrderEngineIO(engineio.Client):
    """Hands each message on in the thread that read it, in arrival order, as a browser does.

    engineio's client starts a thread per message, so two facts could be handled (and
    stamped) out of order; the order check must see what arrived, not how threads ran.
    """

    last_size = 0

    # A browser's Socket.IO client drops the connection when no ping came for pingInterval +
    # pingTimeout (45 s by default). engineio's writer gives up after max(of the two) + 5 s
    # without anything to send (a pong): 5 s of delay on a busy hub, where the next ping waits
    # behind queued facts, and the client would be dropped where a browser stays. Stored
    # as the sum, it waits as a browser does.
    @property
    def ping_timeout(self):
        return self._ping_timeout

    @ping_timeout.setter
    def ping_timeout(self, value):
        if value is not None and self.ping_interval is not None:
            value += self.ping_interval
        self._ping_timeout = value

    def _trigger_event(self, event, *args, **kwargs):
        if event == "message":
            kwargs["run_async"] = False
            raw = args[0] if args else b""
            # The Socket.IO packet as it crossed the socket: '2["ticket_called",{...}]'.
            self.last_size = len(raw.encode() if isinstance(raw, str) else raw)
        return super()._trigger_event(event, *args, **kwargs)


class SkimJson:
    """The JSON module of the bench's Socket.IO clients: it parses only what the bench reads.

    70 clients parsing every fact in this one process would cost CPU the hub needs, on the
    same two cores. The bench reads `ticket_called` (ticket, order) and `queue_changed` (a
    panel looks up its counter's revision); every other event is received and counted
    whole, but handed on as [name, None].
    """

    PARSED = ('["ticket_called"', '["queue_changed"')

    @staticmethod
    def dumps(obj, **kwargs):
        return json.dumps(obj, **kwargs)

    @staticmethod
    def loads(text, **kwargs):
        if isinstance(text, str) and text.startswith('["') and not text.startswith(SkimJson.PARSED):
            return [text[2 : text.index('"', 2)], None]
        return json.loads(text, **kwargs)


class InOrderClient(socketio.Client):
    def __init__(self) -> None:
        super().__init__(
            # No reconnection: a dropped client is a failure to report, not to hide.
            reconnection=False,
            handle_sigint=False,
            json=SkimJson,
            # websocket-client checks UTF-8 byte by byte in Python (without wsaccel): most of
            # the bench's CPU on 20-50 KB overviews. Decoding the text checks it anyway.
            websocket_extra_options={"skip_utf8_validation": True},
        )

    def _engineio_client_class(self):
        return _InOrderEngineIO


def now() -> float:
    return time.monotonic()


class Phase:
    """The scenario running now, so what a client receives is counted under it."""

    name = "setup"


@dataclass
class Sizes:
    """Bytes of received packets per (phase, event name): count, total, largest."""

    by_key: dict[tuple[str, str], list[int]] = field(default_factory=dict)

    def add(self, event: str, size: int) -> None:
        entry = self.by_key.setdefault((Phase.name, event), [0, 0, 0])
        entry[0] += 1
        entry[1] += size
        entry[2] = max(entry[2], size)


def order_key(payload: dict[str, Any]) -> tuple[int, str]:
    """Where a call stands in the hub's order, from what the hub reports in `ticket_called`.

    A version number if the hub puts one in the payload; else the event's server time,
    taken by the hub under the lock that serialises its commands (so it follows commit order).
    """
    event = payload.get("event") or {}
    for version in (payload.get("version"), event.get("version")):
        if isinstance(version, int):
            return (version, "")
    at = event.get("at")
    if not isinstance(at, str):
        return (0, "")  # nothing to order by: the check sees equal keys and says so
    # One format whatever the offset or a zero microsecond, so strings compare as times.
    return (0, datetime.fromisoformat(at).astimezone(UTC).isoformat(timespec="microseconds"))


class Screen:
    """A TV (display device token) or a phone (a ticket's status token) on websocket."""

    def __init__(self, kind: str, name: str, url: str, auth: dict[str, str]) -> None:
        self.kind, self.name, self.url, self.auth = kind, name, url, auth
        self.sizes = Sizes()
        # (arrival time, ticket id, order key) of each ticket_called, in arrival order.
        self.calls: list[tuple[float, str, tuple[int, str]]] = []
        self.drops: list[str] = []  # when and why the hub closed this client
        self.client = InOrderClient()
        self.client.on("*", self._on_fact)
        self.client.on("disconnect", self._on_disconnect)

    def connect(self) -> None:
        self.client.connect(
            self.url, auth=self.auth, transports=["websocket"], wait_timeout=CONNECT_TIMEOUT
        )

    def close(self) -> None:
        self.client.disconnect()

    def _on_fact(self, event: str, data: Any = None) -> None:
        at = now()
        self.sizes.add(event, self.client.eio.last_size)
        if event == "ticket_called":
            self.calls.append((at, data["ticket"]["id"], order_key(data)))

    def _on_disconnect(self, reason: Any = None) -> None:
        self.drops.append(f"in {Phase.name} ({reason})")


class OneAtATime:
    """One state fetch in flight, one queued behind it, as oneAtATime in realtime.js.

    Generations: request() returns the number of the fetch that will reflect everything up
    to now (the next one to start); wait(n) returns once fetch n has finished.
    """

    def __init__(self, load) -> None:
        self._load = load
        self._cond = threading.Condition()
        self._wanted = self._started = self._done = 0
        self._closed = False
        self.failures: list[str] = []
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def request(self) -> int:
        with self._cond:
            target = self._started + 1
            self._wanted = max(self._wanted, target)
            self._cond.notify_all()
            return target

    def wait(self, generation: int, timeout: float) -> bool:
        with self._cond:
            return self._cond.wait_for(lambda: self._done >= generation, timeout)

    def idle(self) -> bool:
        with self._cond:
            return self._done == self._started and self._wanted <= self._started

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._closed or self._wanted > self._started)
                if self._closed:
                    return
                self._started += 1
                generation = self._started
            try:
                self._load(generation)
            except Exception as exc:  # a real panel shows the error and carries on
                self.failures.append(repr(exc))
            with self._cond:
                self._done = generation
                self._cond.notify_all()


class Panel:
    """The counter panel (counter/static/panel.js) of one officer, minus the drawing.

    It fetches /counter/state on connecting, after each of its officer's commands, and on a
    `queue_changed`: on every one from a hub whose overview has no counter revisions (the
    panel.js of that hub), else only when its counter's revision differs from the one in its
    state (the lines' numbers in the payload are drawn without a fetch). On its first load,
    at a counter nobody holds, it opens the counter.
    """

    def __init__(self, url: str, counter: str, token: str) -> None:
        self.url, self.counter, self.token = url, counter, token
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Bearer {token}"
        self.sizes = Sizes()
        self.state: dict[str, Any] | None = None
        self.statuses: dict[int, int] = defaultdict(int)
        self.fetches: dict[str, int] = defaultdict(int)  # per phase
        # When a fetched state first showed each ticket at this counter.
        self.first_seen: dict[str, float] = {}
        # (phase, seconds from a queue_changed arriving to a state fetched after it).
        self.after_event: list[tuple[str, float]] = []
        self._pending: list[tuple[int, float]] = []
        self._pending_lock = threading.Lock()
        self.drops: list[str] = []  # when and why the hub closed this client
        self.refresh = OneAtATime(self._load)
        self.client = InOrderClient()
        self.client.on("connect", self._on_connect)
        self.client.on("*", self._on_fact)
        self.client.on("disconnect", self._on_disconnect)

    def connect(self) -> None:
        self.refresh.request()  # the page's own first load
        self.client.connect(
            self.url,
            auth={"token": self.token, "counter": self.counter},
            transports=["websocket"],
            wait_timeout=CONNECT_TIMEOUT,
        )

    def close(self) -> None:
        self.client.disconnect()
        self.refresh.close()
        self.http.close()

    def _on_connect(self) -> None:
        self.refresh.request()

    def _on_disconnect(self, reason: Any = None) -> None:
        self.drops.append(f"in {Phase.name} ({reason})")

    def _on_fact(self, event: str, data: Any = None) -> None:
        at = now()
        self.sizes.add(event, self.client.eio.last_size)
        if event != "queue_changed":
            return
        if self._needs_fetch(data):
            generation = self.refresh.request()
            with self._pending_lock:
                self._pending.append((generation, at))
        else:
            self.after_event.append((Phase.name, 0.0))  # drawn from the payload at once

    def _needs_fetch(self, queue: Any) -> bool:
        counters = queue.get("counters", []) if isinstance(queue, dict) else []
        here = next((c for c in counters if c.get("id") == self.counter), None)
        if here is not None and "revision" not in here:
            return True  # no revisions: the panel of this hub fetches on every change
        state = self.state
        return state is None or here is None or here["revision"] != state.get("revision")

    def _load(self, generation: int, opening: bool = True) -> None:
        response = self.http.get(
            f"{self.url}/counter/state", params={"counter": self.counter}, timeout=HTTP_TIMEOUT
        )
        self.statuses[response.status_code] += 1
        self.fetches[Phase.name] += 1
        if response.status_code != 200:
            return
        state = response.json()
        if opening and self.state is None and not state.get("officer"):
            # Sit down once, on opening the panel, then load again within the same run.
            self.post("open")
            self._load(generation, opening=False)
            return
        done = now()
        self.state = state
        ticket = state.get("ticket")
        if ticket and ticket["id"] not in self.first_seen:
            self.first_seen[ticket["id"]] = done
        with self._pending_lock:
            served = [at for wanted, at in self._pending if wanted <= generation]
            self._pending = [(w, at) for w, at in self._pending if w > generation]
        self.after_event.extend((Phase.name, done - at) for at in served)

    def post(self, action: str, body: dict | None = None) -> requests.Response:
        url = f"{self.url}/api/counters/{self.counter}/{action}"
        return self.http.post(url, json=body or {}, timeout=HTTP_TIMEOUT)

    def held(self) -> bool:
        return bool(self.state and self.state.get("officer"))

    def ticket_id(self) -> str | None:
        ticket = (self.state or {}).get("ticket")
        return ticket["id"] if ticket else None


@dataclass
class Command:
    """One officer command as the bench saw it."""

    phase: str
    action: str
    status: int  # 0 when the request itself failed (timeout, connection reset)
    started: float
    answered: float
    ticket: str | None
    service: str | None


class Officer:
    """An officer at one counter: commands over HTTP, each followed by the panel's refresh."""

    def __init__(self, name: str, counter: str, token: str, url: str, panel: Panel) -> None:
        self.name, self.counter, self.token, self.url = name, counter, token, url
        self.panel = panel
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Bearer {token}"
        self.commands: list[Command] = []

    def act(self, action: str, refresh_timeout: float = HTTP_TIMEOUT) -> Command:
        """Send one counter action; then, as panel.js send() does, wait for a state refresh."""
        started = now()
        try:
            response = self.http.post(
                f"{self.url}/api/counters/{self.counter}/{action}", json={}, timeout=HTTP_TIMEOUT
            )
            status = response.status_code
            body = response.json() if status == 200 else {}
        except (requests.RequestException, ValueError):
            status, body = 0, {}
        answered = now()
        ticket = (body.get("counter") or {}).get("ticket") or {}
        command = Command(
            Phase.name, action, status, started, answered, ticket.get("id"), ticket.get("service")
        )
        self.commands.append(command)
        self.panel.refresh.wait(self.panel.refresh.request(), refresh_timeout)
        return command

    def serve(self, call: Command, walks: dict[str, int]) -> None:
        """The visit a call brought, as the SOP allows: start, each required step, finish."""
        self.act("start")
        for _ in range(walks.get(call.service or "", 0)):
            self.act("next-step")
        self.act("finish")

    def close(self) -> None:
        self.http.close()


def step_walks(url: str) -> dict[str, int]:
    """Per service, the "next step" presses from the first step to the last required one.

    `finish` is refused while a required step remains; optional steps may be left out.
    """
    response = requests.get(f"{url}/api/services", timeout=HTTP_TIMEOUT)
    response.raise_for_status()
    walks = {}
    for service in response.json()["services"]:
        required = [s["number"] for s in service["steps"] if not s["optional"]]
        walks[service["code"]] = max(required, default=1) - 1
    return walks


def login(url: str, username: str, password: str) -> str:
    response = requests.post(
        f"{url}/api/login", json={"username": username, "password": password}, timeout=HTTP_TIMEOUT
    )
    response.raise_for_status()
    return response.json()["token"]
