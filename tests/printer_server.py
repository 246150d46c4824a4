"""A thermal printer on a real loopback socket, for tests: it records what it receives."""

from __future__ import annotations

import socket
import threading

# DLE EOT n: ESC/POS real-time status requests.
STATUS_REQUEST = b"\x10\x04"
ONLINE_PAPER_OK = b"\x12"
PAPER_END = b"\x7e"  # bits 5 and 6 (paper end) plus 2-3 (near end) set, as an Epson reports


class TestPrinter:
    """Modes: normal, paper_out, stall (accepts, never reads), hangup (closes mid-job)."""

    __test__ = False  # not a test class, whatever its name

    def __init__(self, mode: str = "normal") -> None:
        self.mode = mode
        self.jobs: list[bytes] = []
        self._job_done = threading.Event()
        self._server = socket.socket()
        if mode == "stall":
            # A tiny receive buffer so the client's writes block (and time out) quickly.
            self._server.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
        self._server.bind(("127.0.0.1", 0))
        self._server.listen(4)
        self.port = self._server.getsockname()[1]
        self._stop = threading.Event()
        self._server.settimeout(0.2)
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._open: list[socket.socket] = []

    def __enter__(self) -> TestPrinter:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)  # accept() wakes every 0.2 s to see the stop flag
        self._server.close()
        for connection in self._open:
            connection.close()

    def wait_for_job(self, timeout: float = 5) -> bytes:
        """The bytes of the next complete job (the client closed the connection)."""
        if not self._job_done.wait(timeout):
            raise AssertionError(f"the test printer received no complete job in {timeout} s")
        self._job_done.clear()
        return self.jobs[-1]

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._server.accept()
            except (TimeoutError, OSError):
                continue
            self._open.append(connection)
            if self.mode == "stall":
                continue  # keep it open and never read
            self._receive(connection)

    def _receive(self, connection: socket.socket) -> None:
        received = bytearray()
        connection.settimeout(5)
        try:
            while True:
                chunk = connection.recv(65536)
                if not chunk:
                    break
                received += chunk
                if self.mode == "hangup" and len(received) > 16:
                    break
                if chunk.endswith(STATUS_REQUEST + b"\x04") or chunk.endswith(
                    STATUS_REQUEST + b"\x01"
                ):
                    connection.sendall(PAPER_END if self.mode == "paper_out" else ONLINE_PAPER_OK)
        except OSError:
            pass
        finally:
            if self.mode == "hangup":
                # RST instead of FIN, as a printer that is switched off mid-job.
                connection.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
                )
            connection.close()
            self._open.remove(connection)
            self.jobs.append(bytes(received))
            self._job_done.set()
