"""The display's call audio: the spoken WAV, the chime, and the fallback when TTS fails."""

from __future__ import annotations

import io
import wave

import pytest

from tests.web.conftest import bearer


def test_the_call_is_spoken_as_a_wav(client, tokens):
    with client.get(
        "/display/voice.wav?number=A-012&counter=2", headers=bearer(tokens.display)
    ) as response:
        assert response.status_code == 200
        assert response.mimetype == "audio/wav"
        data = response.data
    with wave.open(io.BytesIO(data)) as audio:
        assert audio.getframerate() == 22050
        assert audio.getnframes() / audio.getframerate() > 2


def test_voice_needs_a_display_or_staff(client, tokens):
    url = "/display/voice.wav?number=A-012&counter=2"
    assert client.get(url).status_code == 401
    assert client.get(url, headers=bearer(tokens.kiosk)).status_code == 403


def test_unknown_counter_or_number_is_404(client, tokens):
    bad = client.get("/display/voice.wav?number=A-012&counter=99", headers=bearer(tokens.display))
    assert bad.status_code == 404
    assert (
        client.get(
            "/display/voice.wav?number=xyz&counter=1", headers=bearer(tokens.display)
        ).status_code
        == 404
    )


def test_chime_is_a_short_wav(client):
    with wave.open(io.BytesIO(client.get("/display/chime.wav").data)) as audio:
        assert 0.8 < audio.getnframes() / audio.getframerate() < 2


@pytest.fixture
def mute_app(settings, app_with):
    return app_with(voice=settings.voice.model_copy(update={"voice": "xx-no-such-voice"}))


def test_without_tts_the_display_gets_the_phrase_and_staff_see_why(mute_app):
    hub = mute_app.extensions["antrian"]
    display = hub.accounts.add_device("tv", "display")
    client = mute_app.test_client()
    response = client.get("/display/voice.wav?number=B-003&counter=1", headers=bearer(display))
    assert response.status_code == 503
    assert response.json["phrase"] == "Nomor antrian, B, tiga, silakan menuju loket satu"
    assert "xx-no-such-voice" in response.json["error"]
    assert hub.alerts["voice"]["message"].startswith("Suara panggilan dari server tidak tersedia")


def test_the_hubs_wait_for_a_wav_is_the_configured_one(settings, app_with):
    app = app_with(voice=settings.voice.model_copy(update={"timeout_seconds": 2.5}))
    assert app.extensions["antrian_announcer"].voice.timeout == 2.5
