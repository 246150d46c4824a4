// The phone page of one ticket: live over Socket.IO, refreshed by polling as a fallback.
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
      return "Terlewat: nomor Anda sudah dipanggil 3 kali. Silakan lapor ke petugas.";
    default:
      return ticket.state_label.charAt(0).toUpperCase() + ticket.state_label.slice(1);
  }
}

function render(ticket) {
  $("ticket").dataset.state = ticket.state;
  $("number").textContent = ticket.number;
  $("service").textContent = ticket.service_name;
  $("state").textContent = describe(ticket);
  $("wait").textContent = ticket.state === "waiting"
    ? (ticket.ahead === 0
      ? "Anda berikutnya."
      : `${ticket.ahead} orang di depan Anda · perkiraan ± ${ticket.estimated_wait_minutes} menit`)
    : "";
  if (ticket.state === "called" && navigator.vibrate) navigator.vibrate([300, 150, 300]);
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

render(JSON.parse($("ticket-data").textContent));
const socket = connect({ ticket: token }, {
  onStatus: (online) => { $("live").textContent = online ? "Memperbarui otomatis" : "Menyambung ulang…"; },
});
socket.on(FACTS.SNAPSHOT, (data) => render(data.ticket));
for (const name of TICKET_FACTS) socket.on(name, (data) => render(data.ticket));
setInterval(poll, POLL_SECONDS * 1000);
