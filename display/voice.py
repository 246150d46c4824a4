"""The spoken call: an Indonesian phrase, synthesised to a cached WAV by one worker process."""

from __future__ import annotations

import concurrent.futures
import hashlib
import logging
import multiprocessing
import os
import re
import tempfile
import threading
from pathlib import Path

from num2words import num2words

log = logging.getLogger(__name__)
SYNTH_TIMEOUT_SECONDS = 10

_engine = None  # the worker process's own pyttsx3 engine
_engine_error: str | None = None  # why it could not start, told to every caller


def number_words(number: int) -> str:
    """A number read aloud in Indonesian, e.g. 12 -> "dua belas"."""
    return num2words(number, lang="id")


def counter_words(name: str) -> str:
    """A counter name as spoken: digits become words ("Loket 2" -> "loket dua")."""
    return re.sub(r"\d+", lambda m: number_words(int(m.group())), name).lower()


def call_phrase(template: str, ticket_number: str, counter_name: str) -> str:
    """The announcement, e.g. "Nomor antrian, A, dua belas, silakan menuju loket dua"."""
    letter, _, digits = ticket_number.partition("-")
    return template.format(
        letter=letter, number=number_words(int(digits)), counter=counter_words(counter_name)
    )


def phrase_key(phrase: str, voice: str, rate: int) -> str:
    """The cache key of one rendering of a phrase."""
    return hashlib.sha256(f"{voice}|{rate}|{phrase}".encode()).hexdigest()[:32]


class VoiceUnavailable(Exception):
    """No speech here (no espeak-ng, or the engine failed); the display speaks for itself."""


def _start_engine(voice: str, rate: int) -> None:
    """Runs once in the worker process: create the engine with the office's voice.

    A failure is kept, not raised: an initializer that raises breaks the pool and the reason
    is lost, while the admin needs to read it.
    """
    global _engine, _engine_error
    os.environ.setdefault("HOME", tempfile.gettempdir())  # libespeak wants a writable HOME
    try:
        import pyttsx3

        engine = pyttsx3.init()
        wanted = [
            v.id
            for v in engine.getProperty("voices")
            if v.id == voice or v.id.endswith(f"/{voice}") or voice in (v.languages or [])
        ]
        if not wanted:
            raise RuntimeError(
                f"no {voice!r} voice in this speech engine (is espeak-ng installed?)"
            )
        engine.setProperty("voice", wanted[0])
        engine.setProperty("rate", rate)
        _engine = engine
    except Exception as exc:  # any engine or driver failure: report it on every call
        _engine_error = f"{type(exc).__name__}: {exc}"


def _synthesise(phrase: str, path: str) -> str:
    """Runs in the worker: render one phrase to a WAV file."""
    if _engine is None:
        raise RuntimeError(_engine_error or "speech engine not started")
    partial = f"{path}.part.wav"
    _engine.save_to_file(phrase, partial)
    _engine.runAndWait()
    os.replace(partial, path)  # readers never see a half-written file
    return path


class Voice:
    """Renders phrases to WAV files in a cache folder, one at a time, off the request path.

    espeak hangs in a process forked after it started, so the engine lives in one worker
    process made with the `spawn` start method; a synthesis that takes too long gets the
    worker replaced rather than waited on.
    """

    def __init__(self, cache_dir: Path, voice: str = "id", rate: int = 150) -> None:
        self.cache_dir = cache_dir
        self.voice = voice
        self.rate = rate
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._pool: concurrent.futures.ProcessPoolExecutor | None = None
        self._pending: dict[str, concurrent.futures.Future[str]] = {}
        self.unavailable_reason: str | None = None

    def path_for(self, phrase: str) -> Path:
        return self.cache_dir / f"{phrase_key(phrase, self.voice, self.rate)}.wav"

    def prepare(self, phrase: str) -> concurrent.futures.Future[str]:
        """Start rendering a phrase (or reuse the cached file or the rendering under way)."""
        path = self.path_for(phrase)
        with self._lock:
            if path.exists():
                done: concurrent.futures.Future[str] = concurrent.futures.Future()
                done.set_result(str(path))
                return done
            if path.name in self._pending:
                return self._pending[path.name]
            future = self._worker().submit(_synthesise, phrase, str(path))
            self._pending[path.name] = future
            future.add_done_callback(lambda _: self._pending.pop(path.name, None))
            return future

    def wav(self, phrase: str, timeout: float = SYNTH_TIMEOUT_SECONDS) -> Path:
        """The WAV of a phrase, rendering it if needed; VoiceUnavailable if that fails."""
        try:
            path = Path(self.prepare(phrase).result(timeout=timeout))
            self.unavailable_reason = None
            return path
        except concurrent.futures.TimeoutError:
            self._restart(f"speech engine did not finish within {timeout} s; restarted")
        except Exception as exc:  # the worker's failure, whatever the engine raised
            self._restart(f"speech engine failed: {exc}")
        raise VoiceUnavailable(self.unavailable_reason or "speech engine unavailable")

    def close(self) -> None:
        """Stop the worker process."""
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None

    def _worker(self) -> concurrent.futures.ProcessPoolExecutor:
        if self._pool is None:
            self._pool = concurrent.futures.ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_engine,
                initargs=(self.voice, self.rate),
            )
        return self._pool

    def _restart(self, reason: str) -> None:
        log.error("voice: %s", reason)
        self.unavailable_reason = reason
        with self._lock:
            pool, self._pool = self._pool, None
            self._pending.clear()
        if pool is not None:
            for process in list(getattr(pool, "_processes", {}).values()):
                process.kill()  # a stuck engine never returns; do not wait for it
            pool.shutdown(wait=False, cancel_futures=True)
