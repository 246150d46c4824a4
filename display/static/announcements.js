// Calls are announced one after another, never overlapping: chime, then the phrase.
const SPEECH_LANG = "id-ID";
const FETCH_TIMEOUT_MS = 12000;
const SPEECH_TIMEOUT_MS = 15000; // a browser without an Indonesian voice may never end
const MAX_CLIP_MS = 30000;

export class Announcer {
  constructor({ chime, onBlocked, log }) {
    this.queue = [];
    this.busy = false;
    this.chime = chime;
    this.onBlocked = onBlocked;
    this.log = log;
    this.audio = new Audio();
  }

  add(call) {
    this.queue.push(call);
    this.next();
  }

  // After the one-time "Aktifkan suara" gesture, go on where the queue stopped.
  resume() {
    this.busy = false;
    this.next();
  }

  async next() {
    if (this.busy || this.queue.length === 0) return;
    this.busy = true;
    const call = this.queue[0];
    try {
      if (this.chime) await this.play("/display/chime.wav");
      await this.say(call);
      this.queue.shift();
      this.busy = false;
      this.next();
    } catch (error) {
      if (error && error.name === "NotAllowedError") {
        this.onBlocked(); // the browser wants a gesture first; the call waits in the queue
        return;
      }
      this.queue.shift(); // a broken call must not block the ones after it
      this.busy = false;
      this.next();
    }
  }

  async say(call) {
    const url = `/display/voice.wav?number=${encodeURIComponent(call.number)}&counter=${encodeURIComponent(call.counter)}`;
    const response = await fetch(url, {
      credentials: "same-origin", signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
    if (response.ok) {
      const blob = await response.blob();
      const objectUrl = URL.createObjectURL(blob);
      try {
        this.log({ ...call, via: "wav" });
        await this.play(objectUrl);
      } finally {
        URL.revokeObjectURL(objectUrl);
      }
      return;
    }
    const body = await response.json().catch(() => ({}));
    if (!body.phrase) throw new Error(body.error || `voice ${response.status}`);
    this.log({ ...call, via: "speech" });
    await speak(body.phrase);
  }

  // Resolves when the clip ends; the watchdog keeps a stuck audio element from silencing
  // every call after it.
  play(src) {
    return new Promise((resolve, reject) => {
      const watchdog = setTimeout(resolve, MAX_CLIP_MS);
      this.audio.src = src;
      this.audio.onended = () => { clearTimeout(watchdog); resolve(); };
      this.audio.onerror = () => { clearTimeout(watchdog); reject(new Error(`cannot play ${src}`)); };
      this.audio.play().catch((error) => { clearTimeout(watchdog); reject(error); });
    });
  }
}

// The hub could not speak: the browser's own voice reads the phrase, in Indonesian.
function speak(phrase) {
  return new Promise((resolve) => {
    if (!("speechSynthesis" in window)) { resolve(); return; }
    const utterance = new SpeechSynthesisUtterance(phrase);
    utterance.lang = SPEECH_LANG;
    const done = () => { clearTimeout(timer); resolve(); };
    const timer = setTimeout(() => { window.speechSynthesis.cancel(); resolve(); }, SPEECH_TIMEOUT_MS);
    utterance.onend = done;
    utterance.onerror = done;
    window.speechSynthesis.speak(utterance);
  });
}
