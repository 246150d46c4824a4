// Enter one paper-number visit; the hub checks it and the list is reloaded from the hub.
import { postJson } from "/static/realtime.js";

const form = document.getElementById("paper-form");
const message = document.getElementById("paper-message");
const reasonField = document.getElementById("reason-field");

function showReasons() {
  const returned = form.outcome.value === "dikembalikan";
  reasonField.hidden = !returned;
  const requirements = JSON.parse(form.service.selectedOptions[0].dataset.requirements);
  form.return_reason.replaceChildren(...requirements.map((r) => new Option(r, r)));
}

form.service.addEventListener("change", showReasons);
form.outcome.addEventListener("change", showReasons);
showReasons();

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const value = (name) => form[name].value.trim() || null;
  const body = {
    tanggal: form.dataset.day,
    service: value("service"),
    number: value("number"),
    counter: value("counter"),
    issued: value("issued"),
    started: value("started"),
    finished: value("finished"),
    outcome: value("outcome"),
    return_reason: form.outcome.value === "dikembalikan" ? value("return_reason") : null,
  };
  const { status, body: answer } = await postJson("/catat-kertas", body);
  message.classList.toggle("error", status !== 201);
  if (status !== 201) {
    message.textContent = answer.error;
    return;
  }
  const v = answer.visit;
  message.textContent = `${v.number} tersimpan sebagai kunjungan yang dicatat kemudian.`;
  addRow(v);
  form.number.value = "";
  form.number.focus();
});

function addRow(v) {
  const body = document.querySelector("#paper-visits tbody");
  if (body.querySelector("td[colspan]")) body.replaceChildren();
  const tr = document.createElement("tr");
  const outcome = v.return_reason ? `${v.outcome} (${v.return_reason})` : v.outcome;
  for (const text of [v.number, v.service_name, v.issued, v.started || "–", v.finished || "–", v.counter_name || "–", outcome, v.recorded_by]) {
    const td = document.createElement("td");
    td.textContent = text;
    tr.append(td);
  }
  body.append(tr);
  document.getElementById("paper-count").textContent = body.rows.length;
}
