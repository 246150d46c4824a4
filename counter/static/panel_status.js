// The panel's message line and its connection state: whether the hub can be reached, what
// the last command did ("A-004 selesai, 12 mnt"), or why it was refused.
const $ = (id) => document.getElementById(id);

export const OFFLINE = "Tidak terhubung ke server antrian. Mencoba lagi…";

let online = true;

export const isOnline = () => online;

// kind: "error" (refused, red), "done" (what a command did, green) or "" (plain).
export function say(text, kind = "error") {
  const message = $("message");
  message.textContent = text || "";
  message.dataset.kind = text ? kind : "";
}

// Offline: the banner shows, every command button is disabled (the caller re-renders);
// back online: the offline message goes, whatever else the line said stays.
export function setOnline(now) {
  online = now;
  document.body.dataset.connected = now;
  $("connection").hidden = now;
  if (now && $("message").textContent === OFFLINE) say("");
  if (!now) say(OFFLINE);
}

// A fetch that never reached the hub rejects with a TypeError ("Failed to fetch"): that
// is the connection, said in Indonesian, never the browser's English.
export function sayFailure(error) {
  if (error instanceof TypeError) {
    setOnline(false);
    return;
  }
  say(`Gagal: ${error.message}`);
}
