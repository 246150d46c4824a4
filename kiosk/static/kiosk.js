// The kiosk: choose a service, confirm its requirements, take a ticket, see it, start over.
import { clock, connect, FACTS, officeTime, postJson, requestId } from "/static/realtime.js";

const RETURN_AFTER_SECONDS = 15;
const RETURN_AFTER_PRINTER_FAULT_SECONDS = 45;
const services = JSON.parse(document.getElementById("services-data").textContent);
const byCode = Object.fromEntries(services.map((s) => [s.code, s]));
const $ = (id) => document.getElementById(id);
const screens = ["choose", "confirm", "done"];

const minutes = new Intl.NumberFormat("id-ID", { maximumFractionDigits: 1 });
let online = false; // the socket is up and the last availability answer came through
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

function waitText(state) {
  return state.waiting === 0
    ? "Perkiraan tunggu: tanpa antrean"
    : `Perkiraan tunggu ± ${minutes.format(state.estimated_wait_minutes)} menit`;
}


let lastStates = {};

async function refreshAvailability() {
  try {
    const response = await fetch("/kiosk/availability", { credentials: "same-origin" });
    if (!response.ok) throw new Error(`availability ${response.status}`);
    const { services: states } = await response.json();
    if (!online && socket.connected) setOnline(true);
    lastStates = Object.fromEntries(states.map((state) => [state.code, state]));
    for (const state of states) {
      const button = document.querySelector(`.service[data-code="${state.code}"]`);
      if (!button) continue;
      button.disabled = !state.open || !online;
      button.classList.toggle("closed", !state.open);
      button.querySelector("[data-wait]").textContent = waitText(state);
      button.querySelector("[data-status]").textContent = state.open
        ? `${state.waiting} orang menunggu`
        : state.reason;
    }
  } catch {
    setOnline(false); // the hub does not answer: nothing can be taken now
  }
}

// While the hub is out of reach no tap can give a number: say so, and take no taps.
function setOnline(state) {
  online = state;
  $("offline-note").hidden = online;
  document.body.dataset.connected = online;
  if (!online) {
    for (const button of document.querySelectorAll(".service")) button.disabled = true;
  }
  $("take").disabled = !online;
}

function choose(code) {
  const service = byCode[code];
  chosen = service;
  pendingRequest = requestId();
  $("confirm-prefix").textContent = `Layanan ${service.prefix}`;
  $("confirm-title").textContent = service.name;
  const state = lastStates[service.code];
  $("confirm-times").querySelector("[data-wait]").textContent = state ? waitText(state) : "";
  $("confirm-times").querySelector("[data-standard]").textContent =
    `Lama layanan ± ${minutes.format(service.total_minutes)} menit`;
  const list = $("requirements");
  list.dataset.long = service.requirements.length > 7; // a long list in smaller type, all of it on screen
  list.replaceChildren(
    ...service.requirements.map((text) => {
      const item = document.createElement("li");
      item.textContent = text;
      return item;
    }),
  );
  document.querySelector('input[name="priority"][value=""]').checked = true;
  $("confirm-error").hidden = true;
  $("take").disabled = !online;
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
  $("issued").textContent = `Diambil pukul ${officeTime(ticket.issued_at)}`;
  $("wait").textContent = ticket.ahead === 0
    ? "Tidak ada antrean di depan Anda."
    : `${ticket.ahead} orang di depan Anda · Perkiraan tunggu ± ${minutes.format(ticket.estimated_wait_minutes)} menit`;
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

// Buttons come disabled from the server and are enabled by the first availability answer
// once the hub is reached, so no tap goes to a hub that cannot answer.
clock($("clock"), document.getElementById("kiosk-script").dataset.timezone);
const socket = connect(undefined, {
  onStatus: (up) => { if (up) refreshAvailability(); else setOnline(false); },
});
socket.on(FACTS.QUEUE_CHANGED, refreshAvailability);
socket.on(FACTS.SNAPSHOT, refreshAvailability);
setInterval(refreshAvailability, 30000); // opening hours change with the clock, not with events
