// Timers against the SOP standards, read from server timestamps on every screen alike.
const AMBER_AT = 0.8; // share of a standard after which a timer turns amber

// The server's clock as seen from this PC: set from each state's server_time.
let offset = 0;
export function syncWithServer(serverTimeIso) {
  offset = Date.parse(serverTimeIso) - Date.now();
}

export function minutesSince(iso) {
  return (Date.now() + offset - Date.parse(iso)) / 60000;
}

// "ok", "near" (amber, past 80 %) or "over" (red, past the standard).
export function level(minutes, standard) {
  return minutes > standard ? "over" : minutes > standard * AMBER_AT ? "near" : "ok";
}

export function timerText(minutes) {
  const seconds = Math.max(0, Math.floor(minutes * 60));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

// 11,5 as Indonesians write it.
export const decimal = (value) => Number(value).toLocaleString("id-ID");

// "< 1 mnt" under a minute: "0 mnt" reads as nothing done, or as a fault.
export function minutesText(minutes) {
  if (minutes === null || minutes === undefined) return "–";
  return minutes < 1 ? "< 1 mnt" : `${decimal(minutes)} mnt`;
}
