// The kiosk: choose a service, confirm its requirements, take a ticket, see it, start over.
import { clock, connect, FACTS, postJson, requestId } from "/static/realtime.js";

const RETURN_AFTER_SECONDS = 15;
const RETURN_AFTER_PRINTER_FAULT_SECONDS = 45;
const services = JSON.parse(document.getElementById("services-data").textContent);
const byCode = Object.fromEntries(services.map((s) => [s.code, s]));
const $ = (id) => document.getElementById(id);
const screens = ["choose", "confirm", "done"];

let chosen = null;
let pendingRequest = null; // kept across retries of the same tap, so the hub issues once
let countdownTimer = null;

function show(name) {
  for (const screen of screens) $(screen).hidden = screen !== name;
}

function startOver() {
  clearInterval(countdownTimer);
  chosen = null;
  pendingRequest = null;
  show("choose");
  refreshAvailability();
}

async function refreshAvailability() {
  try {
    const response = await fetch("/kiosk/availability", { credentials: "same-origin" });
    if (!response.ok) return;
    const { services: states } = await response.json();
    for (const state of states) {
      const button = document.querySelector(`.service[data-code="${state.code}"]`);
      if (!button) continue;
      button.disabled = !state.open;
      button.classList.toggle("closed", !state.open);
      button.querySelector("[data-status]").textContent = state.open
        ? `${state.waiting} orang menunggu`
        : state.reason;
    }
  } catch {
    // Offline: the banner says so; buttons keep their last state.
  }
}

function choose(code) {
  const service = byCode[code];
  chosen = service;
  pendingRequest = requestId();
  $("confirm-title").textContent = service.name;
  const list = $("requirements");
  list.replaceChildren(
    ...service.requirements.map((text) => {
      const item = document.createElement("li");
      item.textContent = text;
      return item;
    }),
  );
  document.querySelector('input[name="priority"][value=""]').checked = true;
  $("confirm-error").hidden = true;
  $("take").disabled = false;
  show("confirm");
}

async function take() {
  const button = $("take");
  if (button.disabled) return; // a second tap while the first is on its way
  button.disabled = true;
  const priority = document.querySelector('input[name="priority"]:checked').value || null;
  try {
    const { status, body } = await postJson("/kiosk/tickets", {
      service: chosen.code, priority, request_id: pendingRequest,
    });
    if (status === 200 || status === 201) {
      showTicket(body);
      return;
    }
    showError(body.error || "Nomor tidak dapat diambil. Silakan hubungi petugas.");
  } catch {
    showError("Koneksi ke server terputus. Silakan coba lagi, atau hubungi petugas.");
  }
  button.disabled = false;
}

function showError(message) {
  $("confirm-error").textContent = message;
  $("confirm-error").hidden = false;
}

function showTicket({ ticket, qr_svg: qrSvg, printed, print_error: printError }) {
  $("number").textContent = ticket.number;
  $("done-service").textContent = ticket.service_name + (ticket.priority_label ? ` · Prioritas: ${ticket.priority_label}` : "");
  $("wait").textContent = ticket.ahead === 0
    ? "Tidak ada antrean di depan Anda."
    : `${ticket.ahead} orang di depan Anda · perkiraan tunggu ± ${ticket.estimated_wait_minutes} menit`;
  $("qr").innerHTML = qrSvg; // made by the hub from the ticket's own status URL
  const status = $("print-status");
  status.classList.toggle("fault", printed === false);
  status.textContent = printed === false
    ? printError
    : printed ? "Silakan ambil tiket Anda di bawah layar." : "Silakan catat atau foto nomor Anda.";
  show("done");
  let left = printed === false ? RETURN_AFTER_PRINTER_FAULT_SECONDS : RETURN_AFTER_SECONDS;
  $("countdown").textContent = left;
  clearInterval(countdownTimer);
  countdownTimer = setInterval(() => {
    left -= 1;
    $("countdown").textContent = left;
    if (left <= 0) startOver();
  }, 1000);
}

document.getElementById("services").addEventListener("click", (event) => {
  const button = event.target.closest(".service");
  if (button && !button.disabled) choose(button.dataset.code);
});
$("back").addEventListener("click", startOver);
$("take").addEventListener("click", take);
$("finish").addEventListener("click", startOver);

// Buttons come disabled from the server so that no tap is lost before this script runs.
for (const button of document.querySelectorAll(".service")) button.disabled = false;
clock($("clock"), document.getElementById("kiosk-script").dataset.timezone);
const socket = connect(undefined, { onStatus: (online) => { $("offline").hidden = online; } });
socket.on(FACTS.QUEUE_CHANGED, refreshAvailability);
socket.on(FACTS.SNAPSHOT, refreshAvailability);
setInterval(refreshAvailability, 30000); // opening hours change with the clock, not with events
refreshAvailability();
