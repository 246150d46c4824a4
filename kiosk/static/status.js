// The phone page of one ticket: live over Socket.IO, refreshed by polling as a fallback.
// Every sentence about the ticket comes from the hub (call_text, skip_reason, return_reason).
import { connect, FACTS, TICKET_FACTS } from "/static/realtime.js";

const POLL_SECONDS = 20; // people ahead change with other tickets' calls, which are not pushed here
const token = document.getElementById("status-script").dataset.token;
const $ = (id) => document.getElementById(id);

function describe(ticket) {
  switch (ticket.state) {
    case "called":
      return `Dipanggil ke ${ticket.counter_name}! Silakan menuju ${ticket.counter_name}.`;
    case "serving":
      return `Sedang dilayani di ${ticket.counter_name}.`;
    case "done":
      return "Selesai. Terima kasih.";
    case "skipped":
      return ticket.skip_reason || "Nomor Anda dilewati.";
    case "returned":
      return "Berkas belum lengkap.";
    default:
      return ticket.state_label.charAt(0).toUpperCase() + ticket.state_label.slice(1);
  }
}

function detail(ticket) {
  switch (ticket.state) {
    case "called":
      return ticket.call_text || "";
    case "skipped":
      return "Silakan lapor ke petugas loket agar nomor Anda dipanggil kembali.";
    case "returned":
      return ticket.return_reason && ticket.return_reason !== "Berkas belum lengkap"
        ? `Yang kurang: ${ticket.return_reason}. Lengkapi lalu ambil nomor baru.`
        : "Tanyakan kepada petugas berkas apa yang kurang, lengkapi, lalu ambil nomor baru.";
    default:
      return "";
  }
}

// The vibration and the sound need one tap on the page first (browsers block them before).
let alertsOn = false;
let audio = null;
let lastCall = null;

function enableAlerts() {
  alertsOn = true;
  try {
    audio = new AudioContext();
  } catch {
    audio = null; // no Web Audio: vibration only
  }
  if (navigator.vibrate) navigator.vibrate(80); // a short buzz says it works
  $("enable-alert").textContent = "Getar/suara aktif";
  $("enable-alert").disabled = true;
  $("alert-hint").textContent = "Ponsel akan bergetar dan berbunyi saat nomor Anda dipanggil. Biarkan halaman ini terbuka.";
}

function beep() {
  if (!audio) return;
  const tone = audio.createOscillator();
  const gain = audio.createGain();
  tone.frequency.value = 880;
  gain.gain.value = 0.3;
  tone.connect(gain).connect(audio.destination);
  tone.start();
  tone.stop(audio.currentTime + 0.6);
}

function announce(ticket) {
  const call = ticket.state === "called" ? `${ticket.id}:${ticket.call_count}` : null;
  if (!call || call === lastCall) return;
  lastCall = call;
  if (!alertsOn) return;
  if (navigator.vibrate) navigator.vibrate([300, 150, 300]);
  beep();
}

function render(ticket) {
  $("ticket").dataset.state = ticket.state;
  $("number").textContent = ticket.number;
  $("service").textContent = ticket.service_name;
  $("state").textContent = describe(ticket);
  $("detail").textContent = detail(ticket);
  $("wait").textContent = ticket.state === "waiting"
    ? (ticket.ahead === 0
      ? "Anda berikutnya."
      : `${ticket.ahead} orang di depan Anda · perkiraan tunggu ± ${ticket.estimated_wait_minutes} menit`)
    : "";
  const over = ["done", "returned", "cancelled"].includes(ticket.state);
  $("status-alert").hidden = over; // nothing more to be called for
  announce(ticket);
  // Other parts of the page (the survey once the visit is done) follow the ticket too.
  document.dispatchEvent(new CustomEvent("ticket:render", { detail: ticket }));
}

async function poll() {
  try {
    const response = await fetch(`/t/${token}.json`);
    if (response.ok) render(await response.json());
  } catch {
    // Offline for a moment: the next poll or the socket brings it back.
  }
}

$("enable-alert").addEventListener("click", enableAlerts);
const first = JSON.parse($("ticket-data").textContent);
lastCall = first.state === "called" ? `${first.id}:${first.call_count}` : null; // already known
render(first);
const socket = connect({ ticket: token }, {
  onStatus: (online) => { $("live").textContent = online ? "Memperbarui otomatis" : "Menyambung ulang…"; },
});
socket.on(FACTS.SNAPSHOT, (data) => render(data.ticket));
for (const name of TICKET_FACTS) socket.on(name, (data) => render(data.ticket));
setInterval(poll, POLL_SECONDS * 1000);
