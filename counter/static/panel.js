// The officer's panel: one counter, its ticket, the SOP steps with timers, keyboard first.
import { connect, FACTS, postJson } from "/static/realtime.js";

const KEYS = { F2: "call_next", F3: "recall", F4: "start", F6: "skip", F7: "next_step",
  F8: "previous_step", F9: "finish", F10: "return" };
const AMBER_AT = 0.8; // share of a step's standard after which its timer turns amber
const $ = (id) => document.getElementById(id);
const select = $("counter");
const params = new URLSearchParams(location.search);
select.value = params.get("counter") || localStorage.getItem("antrian.counter") || select.value;

let state = null;
let clockOffset = 0; // server time minus this PC's time, so timers match every screen

async function refresh() {
  const response = await fetch(`/counter/state?counter=${encodeURIComponent(select.value)}`, {
    credentials: "same-origin",
  });
  if (!response.ok) return;
  state = await response.json();
  clockOffset = Date.parse(state.server_time) - Date.now();
  render();
}

function render() {
  const ticket = state.ticket;
  $("number").textContent = ticket ? ticket.number : "–";
  $("meta").textContent = ticket
    ? `${ticket.service_name}${ticket.priority_label ? ` · PRIORITAS: ${ticket.priority_label}` : ""} · ${ticket.state_label}`
    : "Belum ada nomor dipanggil";
  $("calls").textContent = ticket && ticket.state === "called"
    ? `Panggilan ${ticket.call_count}/${ticket.max_calls}` : "";
  for (const button of document.querySelectorAll("#actions button")) {
    button.disabled = !state.allowed.includes(button.dataset.action);
  }
  $("waiting").replaceChildren(...state.waiting.map((s) => {
    const li = document.createElement("li");
    li.textContent = `${s.prefix} · ${s.name}: ${s.waiting}`;
    return li;
  }));
  $("next").textContent = state.next_number ? `Berikutnya: ${state.next_number}` : "Tidak ada yang menunggu";
  renderSteps();
}

function minutesSince(iso) {
  return (Date.now() + clockOffset - Date.parse(iso)) / 60000;
}

function timerText(minutes) {
  const seconds = Math.max(0, Math.floor(minutes * 60));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

function renderSteps() {
  const ticket = state && state.ticket;
  const list = $("steps");
  if (!ticket || !state.service || !ticket.step) {
    list.replaceChildren();
    $("total").textContent = "";
    return;
  }
  const current = ticket.step.number;
  list.replaceChildren(...state.service.steps.map((step) => {
    const li = document.createElement("li");
    li.className = step.number < current ? "done" : step.number === current ? "current" : "";
    if (step.optional) li.classList.add("optional");
    li.innerHTML = "<span class=name></span><span class=actor></span><span class=timer></span>";
    li.querySelector(".name").textContent = step.name + (step.optional ? " (opsional)" : "");
    li.querySelector(".actor").textContent = `${step.actor} · ${step.minutes} mnt`;
    if (step.number === current) {
      const spent = minutesSince(ticket.step.started_at);
      li.querySelector(".timer").textContent = timerText(spent);
      li.classList.add(spent > step.minutes ? "over" : spent > step.minutes * AMBER_AT ? "near" : "ok");
    }
    return li;
  }));
  const total = minutesSince(ticket.started_at);
  $("total").textContent = `Total ${timerText(total)} dari standar ${state.service.total_minutes} menit`;
  $("total").className = `total ${total > state.service.total_minutes ? "over" : ""}`;
}

// A shortcut for an action not possible now is still sent: the hub answers with the reason.
async function act(action) {
  if (!state) return;
  const body = {};
  if (action === "return") {
    if (!state.service) return;
    const reason = prompt(`Berkas apa yang kurang?\n${state.service.requirements.join("\n")}`);
    if (!reason) return;
    body.reason = reason;
  }
  if (action === "previous_step" && state.ticket && state.ticket.step) {
    const step = prompt("Kembali ke langkah nomor:", String(Math.max(1, state.ticket.step.number - 1)));
    if (!step) return;
    body.step = Number(step);
  }
  const { status, body: answer } = await postJson(`/api/counters/${encodeURIComponent(select.value)}/${action.replace("_", "-")}`, body);
  $("message").textContent = status === 200 ? "" : answer.error;
  await refresh();
}

document.getElementById("actions").addEventListener("click", (event) => {
  const button = event.target.closest("button");
  if (button) act(button.dataset.action);
});
document.addEventListener("keydown", (event) => {
  if (KEYS[event.key]) {
    event.preventDefault();
    act(KEYS[event.key]);
  }
});
select.addEventListener("change", () => {
  localStorage.setItem("antrian.counter", select.value);
  location.search = `?counter=${encodeURIComponent(select.value)}`;
});

const socket = connect({ counter: select.value }, {
  onStatus: (online) => {
    $("connection").hidden = online;
    document.body.dataset.connected = online;
    if (online) refresh();
  },
});
socket.on(FACTS.QUEUE_CHANGED, refresh);
setInterval(renderSteps, 1000);
refresh();
