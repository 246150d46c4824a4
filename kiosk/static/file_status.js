// The file (berkas) part of the phone page: its state across days, and an optional contact.
import { csrfToken } from "/static/realtime.js";

const POLL_SECONDS = 30; // a file changes a few times over days; polling is plenty
const $ = (id) => document.getElementById(id);
const section = $("berkas");
const token = section.dataset.token;
const CONTACT_LABELS = {
  email: { label: "E-mail untuk pemberitahuan (opsional)", type: "email", placeholder: "nama@gmail.com" },
  phone: { label: "Nomor ponsel untuk pemberitahuan SMS/WhatsApp (opsional)", type: "tel", placeholder: "0812 3456 7890" },
};

function render(berkas) {
  if (!berkas) return;
  section.hidden = false;
  section.dataset.state = berkas.state;
  $("berkas-message").textContent = berkas.message;
  $("berkas-code-line").hidden = !berkas.pickup_code;
  $("berkas-code").textContent = berkas.pickup_code || "";
  const kind = CONTACT_LABELS[berkas.contact_kind];
  $("berkas-contact").hidden = !kind || berkas.contact_left || berkas.state !== "diproses";
  $("berkas-contact-left").hidden = !kind || !berkas.contact_left;
  if (kind) {
    $("berkas-contact-label").textContent = kind.label;
    $("berkas-contact-input").type = kind.type;
    $("berkas-contact-input").placeholder = kind.placeholder;
  }
}

async function send(method, body) {
  const response = await fetch(`/t/${token}/kontak`, {
    method,
    headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfToken() },
    body: body ? JSON.stringify(body) : undefined,
    credentials: "same-origin",
  });
  let data = {};
  try { data = await response.json(); } catch { data = { error: "Sistem sedang sibuk, silakan coba lagi." }; }
  return { ok: response.ok, data };
}

async function poll() {
  try {
    const response = await fetch(`/t/${token}/berkas.json`);
    if (response.ok) render(await response.json());
  } catch {
    // Offline for a moment: the next poll brings it back.
  }
}

$("berkas-contact").addEventListener("submit", async (event) => {
  event.preventDefault();
  const button = $("berkas-contact-save");
  if (button.disabled) return;
  button.disabled = true;
  $("berkas-contact-error").hidden = true;
  try {
    const { ok, data } = await send("POST", { contact: $("berkas-contact-input").value });
    if (ok) {
      $("berkas-contact-input").value = "";
      render(data);
    } else {
      $("berkas-contact-error").textContent = data.error;
      $("berkas-contact-error").hidden = false;
    }
  } catch {
    $("berkas-contact-error").textContent = "Koneksi terputus, silakan coba lagi.";
    $("berkas-contact-error").hidden = false;
  }
  button.disabled = false;
});

$("berkas-contact-erase").addEventListener("click", async () => {
  const { ok, data } = await send("DELETE");
  if (ok) render(data);
});

render(JSON.parse($("berkas-data").textContent));
poll();
setInterval(poll, POLL_SECONDS * 1000);
