"""The spoken call: an Indonesian phrase, synthesised to a cached WAV by one worker process."""

from __future__ import annotations

import concurrent.futures
import hashlib
import logging
import re
import threading
from pathlib import Path

from num2words import num2words

from display import voice_cache
from display.voice_worker import start_engine, synthesise
from shared.child_process import kill_pool, one_worker_pool, stop_pool

log = logging.getLogger(__name__)
SYNTH_TIMEOUT_SECONDS = 10
CLOSE_TIMEOUT_SECONDS = 5  # a worker between two renders exits in milliseconds


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


class Voice:
    """Renders phrases to WAV files in a cache folder, one at a time, off the request path.

    espeak hangs in a process forked after it started, so the engine lives in one worker
    process made with the `spawn` start method; a synthesis that takes too long gets the
    worker replaced rather than waited on.
    """

    def __init__(
        self,
        cache_dir: Path,
        voice: str = "id",
        rate: int = 150,
        max_cache_bytes: int = voice_cache.DEFAULT_MAX_BYTES,
        timeout: float = SYNTH_TIMEOUT_SECONDS,
    ) -> None:
        self.cache_dir = cache_dir
        self.timeout = timeout
        self.voice = voice
        self.rate = rate
        self.max_cache_bytes = max_cache_bytes
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        voice_cache.purge_partials(cache_dir)
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
                voice_cache.mark_used(path)
                done: concurrent.futures.Future[str] = concurrent.futures.Future()
                done.set_result(str(path))
                return done
            if path.name in self._pending:
                return self._pending[path.name]
            rendering = self._worker().submit(synthesise, phrase, str(path))
            # Handed out only once the cache is back within its bound (see _rendered).
            future: concurrent.futures.Future[str] = concurrent.futures.Future()
            self._pending[path.name] = future
            rendering.add_done_callback(lambda done: self._rendered(path, done, future))
            return future

    def _rendered(
        self,
        path: Path,
        rendering: concurrent.futures.Future[str],
        future: concurrent.futures.Future[str],
    ) -> None:
        self._pending.pop(path.name, None)
        if rendering.cancelled():
            future.cancel()
            return
        failure = rendering.exception()
        if failure is not None:
            future.set_exception(failure)
            return
        try:
            voice_cache.evict(self.cache_dir, self.max_cache_bytes, keep=path)
        except OSError as exc:  # a full or read-only disk must not cost the call its voice
            log.error("voice cache: eviction failed: %s", exc)
        future.set_result(rendering.result())

    def wav(self, phrase: str, timeout: float | None = None) -> Path:
        """The WAV of a phrase, rendering it if needed; VoiceUnavailable if that fails."""
        timeout = self.timeout if timeout is None else timeout
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
        """Stop the worker process; one stuck in the engine is killed."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            stop_pool(pool, CLOSE_TIMEOUT_SECONDS)

    def _worker(self) -> concurrent.futures.ProcessPoolExecutor:
        if self._pool is None:
            self._pool = one_worker_pool(start_engine, self.voice, self.rate)
        return self._pool

    def _restart(self, reason: str) -> None:
        log.error("voice: %s", reason)
        self.unavailable_reason = reason
        with self._lock:
            pool, self._pool = self._pool, None
            self._pending.clear()
        if pool is not None:
            kill_pool(pool)  # a stuck engine never returns
