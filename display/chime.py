"""The two-tone chime played before each call, made here rather than shipped as a binary."""

from __future__ import annotations

import io
import math
import struct
import wave
from functools import cache

RATE = 22050


@cache
def chime_wav() -> bytes:
    """A soft ding-dong (E5 then C5) with a decaying envelope, as 16-bit mono WAV."""
    samples = []
    for frequency, seconds in ((659.25, 0.45), (523.25, 0.7)):
        count = int(RATE * seconds)
        for i in range(count):
            envelope = math.exp(-3.0 * i / count)
            value = 0.45 * envelope * math.sin(2 * math.pi * frequency * i / RATE)
            samples.append(int(value * 32767))
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(struct.pack(f"<{len(samples)}h", *samples))
    return buffer.getvalue()
