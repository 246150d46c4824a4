// Ambil berkas: scan the slip's QR (a USB scanner types it, then Enter) or type the code.
import { postJson } from "/static/realtime.js";

const RETURN_AFTER_SECONDS = 15;
const RETURN_AFTER_PRINTER_FAULT_SECONDS = 45;
const IDLE_RETURN_SECONDS = 90; // nobody typing: back to the start screen for the next visitor
const $ = (id) => document.getElementById(id);
const input = $("pickup-code");
let idleTimer = null;

function backToStart() { window.location.assign("/kiosk"); }

function stillHere() {
  clearTimeout(idleTimer);
  idleTimer = setTimeout(backToStart, IDLE_RETURN_SECONDS * 1000);
}

function showError(message) {
  $("pickup-error").textContent = message;
  $("pickup-error").hidden = false;
}

async function take(event) {
  event.preventDefault();
  const button = $("pickup-take");
  if (button.disabled) return;
  if (!input.value.trim()) {
    showError("Ketik atau pindai kode pengambilan berkas.");
    return;
  }
  button.disabled = true;
  $("pickup-error").hidden = true;
  try {
    const { status, body } = await postJson("/kiosk/pickup", { code: input.value });
    if (status === 200 || status === 201) {
      showTicket(body);
      return;
    }
    showError(body.error || "Nomor tidak dapat diambil. Silakan hubungi petugas.");
    input.select();
  } catch {
    showError("Koneksi ke server terputus. Silakan coba lagi, atau hubungi petugas.");
  }
  button.disabled = false;
}

function showTicket({ ticket, berkas, qr_svg: qrSvg, printed, print_error: printError }) {
  clearTimeout(idleTimer);
  $("pickup-number").textContent = ticket.number;
  $("pickup-file").textContent = `${berkas.service_name} · berkas ${berkas.number}`;
  $("pickup-wait").textContent = ticket.ahead === 0
    ? "Tidak ada antrean di depan Anda."
    : `${ticket.ahead} orang di depan Anda · perkiraan tunggu ± ${ticket.estimated_wait_minutes} menit`;
  $("pickup-qr").innerHTML = qrSvg; // made by the hub from the ticket's own status URL
  const status = $("pickup-print");
  status.classList.toggle("fault", printed === false);
  status.textContent = printed === false
    ? printError
    : printed ? "Silakan ambil tiket Anda di bawah layar." : "Silakan catat atau foto nomor Anda.";
  $("pickup-enter").hidden = true;
  $("pickup-done").hidden = false;
  let left = printed === false ? RETURN_AFTER_PRINTER_FAULT_SECONDS : RETURN_AFTER_SECONDS;
  $("pickup-countdown").textContent = left;
  setInterval(() => {
    left -= 1;
    $("pickup-countdown").textContent = Math.max(left, 0);
    if (left === 0) backToStart();
  }, 1000);
}

if (input) {
  $("pickup-form").addEventListener("submit", take);
  $("keypad").addEventListener("click", (event) => {
    const key = event.target.closest("button")?.dataset.key;
    if (!key) return;
    input.value = key === "back" ? input.value.slice(0, -1) : input.value + key;
    input.focus();
    stillHere();
  });
  input.addEventListener("input", stillHere);
  input.focus();
}
stillHere();
