// Socket.IO names, mirrored once from shared/realtime.py, and the connection helper.
export const FACTS = Object.freeze({
  SNAPSHOT: "snapshot",
  QUEUE_CHANGED: "queue_changed",
  DEVICE_ALERT: "device_alert",
  TICKET_ISSUED: "ticket_issued",
  TICKET_CALLED: "ticket_called",
  TICKET_RECALLED: "ticket_recalled",
  TICKET_SKIPPED: "ticket_skipped",
  TICKET_REINSTATED: "ticket_reinstated",
  TICKET_STARTED: "ticket_started",
  STEP_CHANGED: "step_changed",
  TICKET_FINISHED: "ticket_finished",
  TICKET_RETURNED: "ticket_returned",
  TICKET_TRANSFERRED: "ticket_transferred",
  TICKET_CANCELLED: "ticket_cancelled",
  STEP_HANDED_OVER: "step_handed_over",
  TICKET_REASSIGNED: "ticket_reassigned",
  COUNTER_OPENED: "counter_opened",
  COUNTER_CLOSED: "counter_closed",
  COUNTER_PAUSED: "counter_paused",
  COUNTER_RESUMED: "counter_resumed",
  SERVICE_CLOSED: "service_closed",
  SERVICE_REOPENED: "service_reopened",
  VISIT_ATTRIBUTES_RECORDED: "visit_attributes_recorded",
  TICKET_RESUMED: "ticket_resumed",
});

export const TICKET_FACTS = Object.values(FACTS).filter((name) => name.startsWith("ticket_"));

// Polling first, then upgrade: where a proxy or Wi-Fi blocks websockets, polling still works.
// Retries every 0.5-2 s (with jitter), so a screen is back within seconds of a hub restart.
export function connect(auth, { onStatus } = {}) {
  const socket = window.io({ auth, reconnectionDelay: 500, reconnectionDelayMax: 2000 });
  if (onStatus) {
    socket.on("connect", () => onStatus(true));
    socket.on("disconnect", () => onStatus(false));
    socket.on("connect_error", () => onStatus(false));
  }
  return socket;
}

export function csrfToken() {
  return document.querySelector('meta[name="csrf-token"]').content;
}

// POST JSON with the page's CSRF token; resolves to {status, body}, rejects on network failure.
export async function postJson(url, body) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfToken() },
    body: JSON.stringify(body || {}),
    credentials: "same-origin",
  });
  let data = {};
  try {
    data = await response.json();
  } catch {
    // No JSON (a proxy's page, a hub restarting): a person at a kiosk cannot act on a code.
    data = {
      error: response.status >= 500
        ? "Sistem antrian sedang sibuk, silakan coba lagi atau hubungi petugas."
        : `Permintaan ditolak (kode ${response.status}). Silakan hubungi petugas.`,
    };
  }
  return { status: response.status, body: data };
}

// A request id that survives retries of the same tap; works on plain http (no randomUUID).
export function requestId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export function clock(element, timeZone) {
  const format = new Intl.DateTimeFormat("id-ID", {
    timeZone, weekday: "long", day: "numeric", month: "long", year: "numeric",
    hour: "2-digit", minute: "2-digit",
  });
  const tick = () => { element.textContent = format.format(new Date()); };
  tick();
  setInterval(tick, 1000);
}

// "08.03": a server timestamp as the office's wall clock, whatever this PC's time zone.
export function officeTime(iso) {
  const timeZone = document.querySelector('meta[name="office-timezone"]').content;
  return new Date(iso).toLocaleTimeString("id-ID", { timeZone, hour: "2-digit", minute: "2-digit" });
}

// Wraps a state fetch so only one runs at a time. A call made while one runs gets a fresh
// run that starts after it (shared by every call of a burst), so an older answer never lands
// last and whoever changed something sees state read after the change.
export function oneAtATime(load) {
  let running = null;
  let queued = null;
  const start = () => {
    running = load().finally(() => { running = null; });
    return running;
  };
  return () => {
    if (!running) return start();
    if (!queued) {
      queued = running.catch(() => {}).then(() => {
        queued = null;
        return start();
      });
    }
    return queued;
  };
}
