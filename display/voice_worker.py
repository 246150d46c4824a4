"""The voice worker process: one pyttsx3 engine that renders phrases to WAV files.

Everything here runs in the worker, never in the hub. The worker dies with the hub: a hub
killed by SIGTERM, kill -9 or a crash must not leave it (and the multiprocessing resource
tracker that waits for it) running forever.
"""

from __future__ import annotations

import os
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

from shared.child_process import exit_with_parent

# Less than the hub's own wait (voice.SYNTH_TIMEOUT_SECONDS), so the worker's reason arrives
# before the hub gives up and replaces the worker.
WRITE_TIMEOUT_SECONDS = 8
_RIFF_HEADER_BYTES = 12

_engine = None  # this process's pyttsx3 engine
_engine_error: str | None = None  # why it could not start, told to every caller
_finished = threading.Event()  # set by the engine when an utterance is completely written


def start_engine(voice: str, rate: int) -> None:
    """The worker's initializer: follow the hub's life, then create the engine.

    A failure is kept, not raised: an initializer that raises breaks the pool and the reason
    is lost, while the admin needs to read it.
    """
    global _engine, _engine_error
    exit_with_parent()
    # The hub decides when to stop; Ctrl+C in its terminal reaches this process too.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # pyttsx3's espeak driver prints "Audio saved to ..." for every file, burying the hub's
    # start-up output (the one-time admin password) on the shared terminal.
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (held for the process's life)
    os.environ.setdefault("HOME", tempfile.gettempdir())  # libespeak wants a writable HOME
    try:
        _engine = _new_engine(voice, rate)
    except Exception as exc:  # any engine or driver failure: report it on every call
        _engine_error = f"{type(exc).__name__}: {exc}"


def _new_engine(voice: str, rate: int):
    import pyttsx3

    engine = pyttsx3.init()
    wanted = [
        v.id
        for v in engine.getProperty("voices")
        if v.id == voice or v.id.endswith(f"/{voice}") or voice in (v.languages or [])
    ]
    if not wanted:
        raise RuntimeError(f"no {voice!r} voice in this speech engine (is espeak-ng installed?)")
    engine.setProperty("voice", wanted[0])
    engine.setProperty("rate", rate)
    engine.connect("finished-utterance", lambda **_: _finished.set())
    return engine


RENDER_ATTEMPTS = 2


def synthesise(phrase: str, path: str) -> str:
    """Render one phrase to a WAV file at path, which readers only ever see complete."""
    if _engine is None:
        raise RuntimeError(_engine_error or "speech engine not started")
    # Per process: two hub processes on one cache folder may render the same phrase.
    partial = f"{path}.{os.getpid()}.part.wav"
    for attempt in range(1, RENDER_ATTEMPTS + 1):
        _wait_until_idle(_engine)
        _finished.clear()
        _engine.save_to_file(phrase, partial)
        _engine.runAndWait()
        # espeak's driver can return from runAndWait while its synthesis thread still runs:
        # the file appears only later (about 1 first render in 4), so wait for it.
        try:
            _wait_for_complete_wav(Path(partial), WRITE_TIMEOUT_SECONDS)
        except RuntimeError:
            # Now and then pyttsx3's espeak driver drops a phrase whole (no file, no
            # error, seen under heavy load): saying it once more has always worked.
            if attempt == RENDER_ATTEMPTS:
                raise
            continue
        break
    os.replace(partial, path)
    return path


def _wait_until_idle(engine) -> None:
    """Let espeak finish the previous phrase completely before it is given the next.

    espeak synthesises on a thread of its own and tells pyttsx3 a phrase is finished
    before that thread is done with it; a phrase given in that moment was lost now and
    then (1 in 40 back-to-back renders), with no file and no error.
    """
    if type(engine.proxy._driver).__module__ == "pyttsx3.drivers.espeak":
        from pyttsx3.drivers import _espeak

        _espeak.Synchronize()


def _wait_for_complete_wav(path: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    _finished.wait(timeout)
    while not is_complete_wav(path):
        if time.monotonic() > deadline:
            path.unlink(missing_ok=True)
            raise RuntimeError(f"the speech engine wrote no complete WAV within {timeout} s")
        time.sleep(0.01)


def is_complete_wav(path: Path) -> bool:
    """True once the file is a whole RIFF/WAVE file: its header's size matches the file's."""
    try:
        with path.open("rb") as wav:
            header = wav.read(_RIFF_HEADER_BYTES)
            size = os.fstat(wav.fileno()).st_size
    except FileNotFoundError:
        return False
    if len(header) < _RIFF_HEADER_BYTES or header[:4] != b"RIFF" or header[8:12] != b"WAVE":
        return False
    # Python's wave module writes the final size into the header before the samples.
    return int.from_bytes(header[4:8], "little") + 8 == size and size > 44
