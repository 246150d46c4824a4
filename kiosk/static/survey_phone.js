// The satisfaction survey on the phone page: shown once the visit is done, sent once.
import { postJson } from "/static/realtime.js";
import { answersOf } from "./survey_form.js";

const section = document.getElementById("survey");
const form = document.getElementById("survey-form");
const done = document.getElementById("survey-done");
const error = document.getElementById("survey-error");
const send = document.getElementById("survey-send");
const token = section.dataset.token;
const codes = Array.from(form.querySelectorAll("fieldset.question"), (f) => f.dataset.code);
let state = section.dataset.state;

const MESSAGES = {
  answered: "Survei untuk nomor ini sudah diisi. Terima kasih.",
  closed: "Waktu pengisian survei untuk nomor ini sudah lewat.",
  thanks: "Terima kasih atas penilaian Anda. Masukan Anda membantu kami memperbaiki pelayanan.",
};

function show(message) {
  section.hidden = state === "not_finished";
  form.hidden = state !== "open";
  done.hidden = state === "open";
  done.textContent = message || MESSAGES[state] || "";
}

async function refresh() {
  try {
    const response = await fetch(`/t/${token}/survei.json`);
    if (response.ok) state = (await response.json()).state;
  } catch {
    return; // offline for a moment: the next render of the ticket asks again
  }
  show();
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  error.textContent = "";
  send.disabled = true; // one tap sends once; the hub refuses a second response anyway
  try {
    const { status, body } = await postJson(`/t/${token}/survei`, answersOf(form, codes));
    if (status === 201) {
      state = "answered";
      show(MESSAGES.thanks);
      section.scrollIntoView({ block: "start" });
    } else if (status === 409) {
      state = "answered";
      show(body.error);
    } else {
      error.textContent = body.error || "Survei belum terkirim, silakan coba lagi.";
    }
  } catch {
    error.textContent = "Tidak tersambung. Periksa sinyal lalu kirim lagi.";
  } finally {
    send.disabled = false;
  }
});

// The status page tells every part of the page when the ticket changes.
document.addEventListener("ticket:render", (event) => {
  if (event.detail.state === "done" && state === "not_finished") refresh();
});
show();
