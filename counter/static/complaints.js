// The complaints page: each form posts JSON with the CSRF header; the hub decides, the page
// shows its refusal next to the form, or reloads to show the register as it now stands.
import { postJson, requestId } from "/static/realtime.js";

function payload(form) {
  const body = {};
  for (const element of form.elements) {
    if (!element.name) continue;
    if (element.type === "checkbox") body[element.name] = element.checked;
    else if (element.type === "radio") { if (element.checked) body[element.name] = element.value; }
    else body[element.name] = element.value;
  }
  return body;
}

const recordForm = document.getElementById("record-form");
recordForm.elements.request_id.value = requestId();

for (const form of document.querySelectorAll("form[data-endpoint]")) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const error = form.querySelector(".form-error") || form.closest("article").querySelector(".form-error");
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    error.textContent = "";
    try {
      const { status, body } = await postJson(form.dataset.endpoint, payload(form));
      if (status >= 200 && status < 300) {
        // Back to the top so the new state is seen where the register starts.
        window.location.reload();
        return;
      }
      error.textContent = body.error || `Permintaan ditolak (kode ${status}).`;
    } catch {
      error.textContent = "Tidak tersambung ke server. Periksa jaringan lalu coba lagi.";
    }
    button.disabled = false;
  });
}
