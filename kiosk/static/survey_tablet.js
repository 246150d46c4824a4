// The survey tablet at the exit: one element per screen, four faces, then profile and saran.
// A USB scanner types the ticket's QR (its status URL) and Enter, like a keyboard.
import { connect, postJson } from "/static/realtime.js";

const data = JSON.parse(document.getElementById("survey-data").textContent);
const $ = (id) => document.getElementById(id);
const screens = ["start", "question", "about", "thanks"];
const THANKS_SECONDS = 10;
const PROMPT_SECONDS = 180; // an invitation nobody took is not left for the next visitor

let ref = ""; // the ticket as typed or scanned; empty when answering anonymously
let scores = [];
let index = 0;
let idleTimer = null;
let sending = false;

function showScreen(name) {
  for (const screen of screens) $(screen).hidden = screen !== name;
  if (name === "start") $("ref").focus();
}

function reset() {
  ref = "";
  scores = data.elements.map(() => null);
  index = 0;
  $("ref").value = "";
  $("start-error").textContent = "";
  $("send-error").textContent = "";
  $("about-form").reset();
  $("visit-label").textContent = "";
  showScreen("start");
}

function drawQuestion() {
  const element = data.elements[index];
  $("progress").textContent = `Pertanyaan ${index + 1} dari ${data.elements.length}`;
  $("question-text").textContent = element.question;
  for (const button of $("faces").querySelectorAll("button")) {
    const score = Number(button.dataset.score);
    button.querySelector(".answer-word").textContent = element.answers[score - 1];
    button.classList.toggle("chosen", scores[index] === score);
    button.setAttribute("aria-pressed", String(scores[index] === score));
  }
  $("forward").textContent = scores[index] === null ? "Lewati ›" : "Lanjut ›";
  showScreen("question");
}

function go(step) {
  index += step;
  if (index < 0) { reset(); return; }
  if (index >= data.elements.length) { index = data.elements.length - 1; showScreen("about"); return; }
  drawQuestion();
}

async function begin(typed) {
  $("start-error").textContent = "";
  if (typed) {
    const { status, body } = await postJson("/survei/kunjungan", { ref: typed });
    if (status !== 200) {
      $("start-error").textContent = body.error || "Nomor tidak dapat dipakai.";
      $("ref").select();
      return;
    }
    ref = typed;
    $("visit-label").textContent = `Nomor ${body.number} · ${body.service_name} · `;
  }
  index = 0;
  drawQuestion();
}

async function send() {
  if (sending) return;
  sending = true;
  $("send").disabled = true;
  $("send-error").textContent = "";
  const form = $("about-form");
  const profile = {};
  for (const input of form.querySelectorAll("input:checked")) profile[input.name] = input.value;
  try {
    const { status, body } = await postJson("/survei/jawaban", {
      ref, scores, profile, saran: form.elements.saran.value,
    });
    if (status === 201) {
      showScreen("thanks");
      setTimeout(() => { if (!$("thanks").hidden) reset(); }, THANKS_SECONDS * 1000);
    } else {
      $("send-error").textContent = body.error || "Survei belum terkirim, silakan coba lagi.";
    }
  } catch {
    $("send-error").textContent = "Tablet tidak tersambung. Silakan coba lagi.";
  } finally {
    sending = false;
    $("send").disabled = false;
  }
}

function touched() {
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => { if ($("start").hidden) reset(); }, data.idle_seconds * 1000);
}

$("ref-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const typed = $("ref").value.trim();
  if (typed) begin(typed);
});
$("anonymous").addEventListener("click", () => begin(""));
$("faces").addEventListener("click", (event) => {
  const button = event.target.closest("button[data-score]");
  if (!button) return;
  scores[index] = Number(button.dataset.score);
  go(1);
});
$("back").addEventListener("click", () => go(-1));
$("forward").addEventListener("click", () => go(1));
$("about-back").addEventListener("click", () => { index = data.elements.length - 1; drawQuestion(); });
$("send").addEventListener("click", send);
$("again").addEventListener("click", reset);
for (const name of ["pointerdown", "keydown"]) document.addEventListener(name, touched);

if (data.show_prompt) {
  // After "Selesai" at a counter the hub names the number (a public fact) here.
  const socket = connect(undefined);
  let promptTimer = null;
  socket.on(data.prompt_event, (prompt) => {
    if (!prompt.on.includes("tablet") || $("start").hidden) return;
    $("prompt-number").textContent = prompt.number;
    $("prompt").hidden = false;
    clearTimeout(promptTimer);
    promptTimer = setTimeout(() => { $("prompt").hidden = true; }, PROMPT_SECONDS * 1000);
  });
  $("prompt-number").addEventListener("click", () => {
    $("prompt").hidden = true;
    begin($("prompt-number").textContent);
  });
}
reset();
touched();
