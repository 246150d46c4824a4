// The officer's panel: one counter, its ticket, the SOP steps with timers, keyboard first.
// Which buttons work comes from the hub's dry run of the rules (state.allowed); no queue rule here.
import { connect, FACTS, officeTime, oneAtATime, postJson } from "/static/realtime.js";
import { attributesPanel } from "./attributes.js";
import { choose, isChoosing } from "./choose.js";
import { isOnline, say, sayFailure, setOnline } from "./panel_status.js";
import { decimal, level, minutesSince, minutesText, syncWithServer, timerText } from "./timers.js";
import { nothingToDo, PARKING_LISTS, parkingAsk, renderParked, SENT_AS } from "./parking.js";

const $ = (id) => document.getElementById(id);
const select = $("counter");
const me = $("officer").dataset.me;
const params = new URLSearchParams(location.search);
select.value = params.get("counter") || localStorage.getItem("antrian.counter") || select.value;
const KEYS = Object.fromEntries(
  [...document.querySelectorAll("#actions button")].map((b) => [b.dataset.key, b.dataset.action]),
);

let state = null;
let loadedOnce = false;
const attributes = attributesPanel($("attributes"), (body) => queue(() => send("record_attributes", body)));
const serveOnOpen = $("panel-script").dataset.serveOnOpen !== "false";

const counterUrl = (action) =>
  `/api/counters/${encodeURIComponent(select.value)}/${action.replaceAll("_", "-")}`;

const refresh = oneAtATime(load);

async function load() {
  let response;
  try {
    response = await fetch(`/counter/state?counter=${encodeURIComponent(select.value)}`, {
      credentials: "same-origin",
    });
  } catch (error) {
    sayFailure(error);
    if (state) render(); // everything disabled while the hub cannot be reached
    setTimeout(refresh, 3000); // the socket may not have noticed: look again
    return;
  }
  if (!isOnline() && socket.connected) setOnline(true);
  if (!response.ok) {
    const answer = await response.json().catch(() => ({}));
    say(answer.error || `Server menjawab ${response.status}.`);
    return;
  }
  state = await response.json();
  syncWithServer(state.server_time);
  const first = !loadedOnce;
  loadedOnce = true;
  // Sit down once, on opening the panel; after a release or a logout the officer decides.
  // A section head or admin never sits down by opening it (see "Layani di loket ini").
  if (first && !state.officer && serveOnOpen) {
    const { status, body } = await postJson(counterUrl("open"));
    say(status === 200 ? "" : body.error);
    await load(); // within this same run: a queued refresh here would wait for itself
    return;
  }
  render();
}

const heldByOther = () => state && state.officer && state.officer !== me;

function render() {
  const ticket = state.ticket;
  $("number").textContent = ticket ? ticket.number : "–";
  $("number").classList.toggle("idle", !ticket);
  $("meta").textContent = ticket
    ? `${ticket.service_name}${ticket.priority_label ? ` · PRIORITAS: ${ticket.priority_label}` : ""} · ${ticket.state_label}`
    : "Belum ada nomor dipanggil";
  $("meta").classList.toggle("priority", Boolean(ticket && ticket.priority));
  $("calls").textContent = ticket && ticket.state === "called"
    ? `Panggilan ${ticket.call_count}/${ticket.max_calls}` : "";
  const extra = {
    reprint: Boolean(ticket) && state.can_print,
  };
  for (const button of document.querySelectorAll("#actions button")) {
    const action = button.dataset.action;
    const allowed = action in extra ? extra[action] : state.allowed.includes(action);
    setEnabled(button, isOnline() && !heldByOther() && allowed);
  }
  const handOver = document.querySelector('[data-action="hand_over"]');
  const step = ticket && ticket.step && state.service.steps[ticket.step.number - 1];
  handOver.firstChild.textContent = step && step.handover
    ? `Serahkan ke ${step.actor.split("/")[0]} ` : "Serahkan ke pelaksana ";
  renderWaiting();
  renderNext();
  attributes.render(state, heldByOther());
  renderToday();
  renderSession();
  renderTimers();
}

// A button that cannot be pressed now looks it (panel.css) and says it to a screen reader.
function setEnabled(button, enabled) {
  button.disabled = !enabled;
  button.setAttribute("aria-disabled", String(!enabled));
}

function renderWaiting() {
  const lines = state.waiting.map((s) => [`${s.prefix} · ${s.name}: ${s.waiting}`, s]);
  if (state.sent_here.waiting) lines.push([`Dialihkan ke ${state.name}: ${state.sent_here.waiting}`, state.sent_here]);
  $("waiting").replaceChildren(...lines.map(([text, line]) => {
    const li = document.createElement("li");
    li.textContent = line.next_numbers.length ? `${text} (` : text;
    line.next_numbers.forEach((number, index) => {
      const priority = (line.priority_numbers || []).includes(number);
      const mark = document.createElement("span");
      mark.className = priority ? "number priority" : "number";
      mark.textContent = number;
      if (priority) mark.title = "Prioritas (lansia, penyandang disabilitas, ibu hamil)";
      li.append(index ? ", " : "", mark);
      if (priority) li.append(Object.assign(document.createElement("span"), { className: "priority-mark", textContent: "P" }));
    });
    if (line.next_numbers.length) li.append(")");
    return li;
  }));
}

function renderNext() {
  const next = $("next");
  if (!state.next_number) {
    next.textContent = "Tidak ada yang menunggu";
    return;
  }
  next.textContent = `Berikutnya: ${state.next_number}`;
  if (state.next_reason) {
    const why = document.createElement("span");
    why.className = state.next_reason.startsWith("prioritas") ? "why priority" : "why";
    why.textContent = ` (${state.next_reason})`;
    next.append(why);
  }
}

function renderParkedList() {
  renderParked(state, $("parked"), $("parked-title"));
}

function renderToday() {
  const t = state.today;
  const parts = [
    `dilayani ${t.served}`, `terlewat ${t.skipped}`,
    `dikembalikan ${t.returned}`, `dialihkan ${t.transferred}`,
  ];
  if (t.mean_service_minutes !== null) {
    parts.push(`rata-rata ${minutesText(t.mean_service_minutes)} (standar ${decimal(t.mean_standard_minutes)})`,
      `${t.within_standard_percent}% sesuai standar`);
  }
  if (t.came_back) parts.push(`kembali dilayani ${t.came_back}`);
  if (t.not_entered_online) parts.push(`belum diinput online ${t.not_entered_online}`);
  if (t.too_short) parts.push(`${t.too_short} terlalu singkat`);
  if (t.break_minutes) {
    parts.push(`istirahat ${t.break_minutes < 1 ? "<1" : Math.round(t.break_minutes)} mnt`);
  }
  $("today").textContent = parts.join(" · ");
}

function renderSession() {
  if ($("take-seat")) $("take-seat").hidden = Boolean(state.officer);
  $("seat").textContent = !state.officer && !serveOnOpen ? `${state.name} kosong (Anda hanya melihat)`
    : !state.officer ? `${state.name} kosong: tombol apa pun membukanya`
    : heldByOther() ? `${state.name} dipegang ${state.officer}` : `Anda di ${state.name}`;
  const blocked = heldByOther() || Boolean(state.paused_since);
  $("blocker").hidden = !blocked;
  $("resume").hidden = heldByOther() || !state.paused_since;
  if (heldByOther()) {
    $("blocker-text").textContent = `${state.name} sedang dipegang petugas '${state.officer}' sejak pukul ${officeTime(state.since)}. Pilih loket lain, atau minta kepala seksi melepaskan loket ini.`;
  } else if (state.paused_since) {
    $("blocker-text").textContent = `ISTIRAHAT sejak pukul ${officeTime(state.paused_since)}${state.pause_reason ? ` (${state.pause_reason})` : ""}. Tidak ada panggilan ke ${state.name}.`;
  }
  setEnabled($("pause"), isOnline() && !blocked && !state.ticket);
}

function renderTimers() {
  if (state) renderParkedList();
  const ticket = state && state.ticket;
  const list = $("steps");
  if (ticket) {
    const waited = (Date.parse(ticket.first_called_at) - Date.parse(ticket.issued_at)) / 60000;
    $("waited").textContent = `Menunggu dipanggil ${timerText(waited)} (standar ${state.waiting_standard_minutes} mnt)`;
    $("waited").className = `waited ${level(waited, state.waiting_standard_minutes)}`;
  } else {
    $("waited").textContent = "";
  }
  if (!ticket || !state.service || !ticket.step) {
    const hint = document.createElement("li");
    hint.className = "empty";
    hint.textContent = ticket ? "Langkah SOP tampil setelah Mulai layani (F4)." : "Panggil nomor berikutnya (F2) untuk mulai melayani.";
    list.replaceChildren(hint);
    $("total").textContent = "";
    $("step-name").textContent = "";
    $("step-timer").textContent = "";
    $("step-now").className = "step-now";
    return;
  }
  // The current step's timer, large: the officer reads it from the corner of an eye.
  const stepSpent = minutesSince(ticket.step.started_at);
  $("step-name").textContent = `Langkah ${ticket.step.number} · standar ${decimal(ticket.step.minutes)} mnt`;
  $("step-timer").textContent = timerText(stepSpent);
  $("step-now").className = `step-now ${level(stepSpent, ticket.step.minutes)}`;
  const current = ticket.step.number;
  list.replaceChildren(...state.service.steps.map((step) => {
    const li = document.createElement("li");
    li.className = step.number < current ? "done" : step.number === current ? "current" : "";
    if (step.optional) li.classList.add("optional");
    li.innerHTML = "<span class=timer></span><span class=name></span><span class=actor></span><span class=handed></span>";
    li.querySelector(".name").textContent = step.name + (step.optional ? " (opsional)" : "");
    li.querySelector(".actor").textContent = `${step.actor} · ${step.minutes} mnt`;
    const handedTo = ticket.handed_over[String(step.number)];
    if (handedTo) li.querySelector(".handed").textContent = `diserahkan ke ${handedTo}`;
    if (step.number === current) {
      const spent = minutesSince(ticket.step.started_at);
      li.querySelector(".timer").textContent = timerText(spent);
      li.classList.add(level(spent, step.minutes));
    }
    return li;
  }));
  const total = minutesSince(ticket.started_at);
  $("total").textContent = `Total ${timerText(total)} dari standar ${state.service.total_minutes} menit`;
  $("total").className = `total ${level(total, state.service.total_minutes)}`;
}

async function send(action, body = {}) {
  if (!isOnline()) {
    say("Tidak terhubung ke server antrian. Mencoba lagi…");
    return false;
  }
  const { status, body: answer } = await postJson(counterUrl(action), body);
  // What the hub did with the visit, in its own words ("A-004 selesai, 12 mnt").
  if (status === 200) say(answer.done || "", "done");
  else say(answer.error);
  await refresh();
  return status === 200;
}

// What each button asks before it is sent; null means the officer cancelled.
const ASK = {
  async return() {
    const reason = await choose({
      title: "Berkas apa yang kurang?",
      options: state.service.requirements.map((r) => ({ label: r, value: r })),
      input: { caption: "Atau tulis alasan lain, lalu Enter:", value: takeTypedAhead(), needsWord: true },
    });
    return reason && { reason };
  },
  async previous_step() {
    const earlier = state.service.steps.filter((s) => s.number < state.ticket.step.number);
    const step = await choose({
      title: "Kembali ke langkah:",
      // The digit is the step's number, as the SOP lists it (nearest step first).
      options: earlier.reverse().map((s) => ({ label: s.name, value: s.number, key: s.number })),
    });
    return step && { step: Number(step) };
  },
  async transfer() {
    const { services, counters } = state.transfer_to;
    const target = await choose({
      title: `Alihkan ${state.ticket.number} ke (nomor tetap sama):`,
      options: [
        ...counters.map((k) => ({ label: k.name, value: `counter:${k.id}` })),
        ...services.filter((s) => s.code !== state.ticket.service)
          .map((s) => ({ label: `Layanan ${s.name}`, value: `service:${s.code}` })),
      ],
    });
    if (!target) return null;
    const [kind, id] = target.split(/:(.*)/s);
    return kind === "counter" ? { counter: id } : { service: id };
  },
  async call_number() {
    const number = await choose({
      title: "Panggil nomor:",
      options: state.callable.map((t) => ({
        label: `${t.number}${t.state === "skipped" ? " (terlewat)" : ""}`, value: t.number,
      })),
      input: { caption: "Ketik nomor (mis. A12), lalu Enter:", value: takeTypedAhead() },
    });
    return number && { ticket: number };
  },
  ...parkingAsk(() => state),
};

// Keys pressed in quick succession run one after another, in order, each on fresh state.
let pending = Promise.resolve();
function act(action) {
  return queue(() => perform(action));
}

function queue(job) {
  pending = pending.then(job).catch((error) => {
    sayFailure(error);
    if (state) render();
  });
  return pending;
}

// Keys typed after a key that opens a list, before the list is on screen (earlier commands
// still running): they belong in the list's field, never to the shortcuts, or a hurried
// "N a12" could become "Alihkan".
const OPENS_A_LIST = new Set(["return", "previous_step", "transfer", "call_number", "pause", ...PARKING_LISTS]);
let typedAhead = null; // {text} of the list key pressed last, until its list is done

function takeTypedAhead() {
  const text = typedAhead ? typedAhead.text : "";
  typedAhead = null;
  return text;
}

async function perform(action) {
  if (!state || isChoosing()) return;
  say(""); // an old message must not stand for this key
  if (action === "reprint") return reprint();
  if (action === "skip_optional") {
    const target = state.allowed.includes("skip_optional") && state.skip_optional_to;
    if (target) await send("next_step", { step: target });
    else say("Tidak ada langkah opsional berikutnya untuk dilewati.");
    return;
  }
  // A shortcut for an action not possible now is still sent: the hub answers with the reason.
  let body = {};
  if (ASK[action]) {
    // No dialog for an action the hub would refuse: the hub says why at once. "Panggil
    // nomor" always opens, so a number typed right after N lands in its field, never on keys.
    const plainly = heldByOther() || (action !== "call_number" && !state.allowed.includes(action));
    const nothing = nothingToDo(action, state);
    if (nothing) return say(nothing);
    const [sentAs, always] = SENT_AS[action] ? SENT_AS[action](state)
      : [action === "call_number" ? "call_next" : action, {}];
    if (plainly) return send(sentAs, always);
    body = await ASK[action]();
    if (!body) return;
    return send(sentAs, body);
  }
  await send(action, body);
}

async function reprint() {
  if (heldByOther()) return say(`${state.name} dipegang petugas lain.`);
  if (!state.can_print) return say("Kantor ini tidak memakai printer tiket.");
  if (!state.ticket) return say("Tidak ada nomor di loket ini untuk dicetak ulang.");
  const { status, body } = await postJson(`/kiosk/tickets/${encodeURIComponent(state.ticket.number)}/print`);
  say(status === 200 ? `Nomor ${body.number} dicetak ulang.` : body.error);
}

$("actions").addEventListener("click", (event) => {
  const button = event.target.closest("button");
  if (button) act(button.dataset.action);
});
document.addEventListener("keydown", (event) => {
  const inClosedDialog = Boolean(event.target.closest("dialog:not([open])"));
  if (isChoosing() || (event.target.matches("input, select, textarea") && !inClosedDialog)) return;
  if (event.repeat) return; // a key held a little too long is one press, not several steps
  if (typedAhead !== null && !event.ctrlKey && !event.metaKey) {
    if (event.key.length === 1) typedAhead.text += event.key;
    if (event.key.length === 1 || event.key === "Enter") {
      event.preventDefault(); // an early Enter must not choose anything unseen
      return;
    }
  }
  if (event.key === "Enter" && !$("resume").hidden) {
    event.preventDefault();
    send("resume");
    return;
  }
  if (event.ctrlKey || event.altKey || event.metaKey) return; // Ctrl+C and friends stay the browser's
  if (attributes.key(event.key)) {
    event.preventDefault();
    return;
  }
  const key = event.key.length === 1 ? event.key.toUpperCase() : event.key;
  const action = key === "I" ? "pause" : KEYS[key];
  if (!action) return;
  event.preventDefault();
  const job = action === "pause" ? pause : () => perform(action);
  if (!OPENS_A_LIST.has(action)) {
    queue(job);
    return;
  }
  const buffer = { text: "" };
  typedAhead = buffer;
  // Whatever the list did with them, keys typed ahead end with it (unless a later list key
  // has its own buffer by then).
  queue(() => job().finally(() => {
    if (typedAhead === buffer) typedAhead = null;
  }));
});

async function pause() {
  if (!state || state.paused_since || heldByOther()) return;
  if (state.ticket) {
    say(`Selesaikan, lewati atau alihkan nomor ${state.ticket.number} dulu sebelum istirahat.`);
    return;
  }
  const reason = await choose({
    title: "Istirahat: tidak ada panggilan ke loket ini sampai Anda lanjut.",
    options: ["Sholat", "Makan siang", "Rapat", "Urusan dinas"].map((r) => ({ label: r, value: r })),
    input: { caption: "Atau tulis alasan, lalu Enter:", value: takeTypedAhead(), needsWord: true },
  });
  if (reason) await send("pause", { reason });
}

$("pause").addEventListener("click", pause);
$("resume").addEventListener("click", () => send("resume"));
const mine = () => state && state.officer === me;

// A section head or admin serves at this counter only by choosing to.
$("take-seat")?.addEventListener("click", async () => {
  const { status, body } = await postJson(counterUrl("open"));
  say(status === 200 ? "" : body.error);
  refresh();
});

// Leave the counter before signing out, so the next officer can take it.
$("logout-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    if (mine() && !(await send("close"))) return; // a number is still here: the hub said so
  } catch {
    say("Hub tidak terjangkau: loket belum dilepas. Coba lagi saat tersambung.");
    return;
  }
  event.target.submit();
});
// Moving to another counter leaves this one, unless a number is still being served here.
select.addEventListener("change", async () => {
  if (mine() && state.ticket) {
    select.value = state.id;
    say(`Selesaikan, lewati atau alihkan nomor ${state.ticket.number} di ${state.name} dulu.`);
    return;
  }
  if (mine()) await postJson(`/api/counters/${encodeURIComponent(state.id)}/close`).catch(() => null);
  localStorage.setItem("antrian.counter", select.value);
  location.search = `?counter=${encodeURIComponent(select.value)}`;
});

// Its own counter's facts only; the rest of the office comes as queue_changed.
const socket = connect({ counter: select.value, facts: "counter" }, {
  onStatus: (online) => {
    setOnline(online);
    if (online) refresh();
    else if (state) render();
  },
});
// Lines move with every ticket in the office; their numbers come with queue_changed. The
// state is fetched only when this counter's own revision changed (its ticket, its seat,
// what may be pressed), so a busy office does not make every panel fetch on every event.
socket.on(FACTS.QUEUE_CHANGED, (queue) => {
  const here = queue.counters.find((k) => k.id === select.value);
  if (!state || !here || here.revision !== state.revision) {
    refresh();
    return;
  }
  const lines = new Map(queue.services.map((s) => [s.code, s]));
  state.waiting = state.waiting.map((line) => {
    const now = lines.get(line.code);
    return now ? {
      ...line,
      waiting: now.waiting,
      next_numbers: now.next_numbers.slice(0, 3),
      priority_numbers: now.priority_numbers || [],
    } : line;
  });
  state.sent_here = here.sent_here;
  state.next_number = here.next_number;
  state.next_reason = here.next_reason;
  render();
});
// What a supervisor did to this counter is said on it, not left for the officer to guess.
socket.on(FACTS.COUNTER_CLOSED, ({ event }) => {
  if (event.counter === select.value && event.closed_by) {
    say(`${state ? state.name : "Loket ini"} dilepas oleh ${event.closed_by}.`);
  }
});
socket.on(FACTS.TICKET_REASSIGNED, ({ event, ticket }) => {
  if (event.from_counter === select.value) {
    const target = state && state.transfer_to.counters.find((k) => k.id === event.to_counter);
    const where = event.to_counter ? `ke ${target ? target.name : event.to_counter}` : "kembali ke antrean";
    say(`Nomor ${ticket.number} dipindahkan ${where} oleh ${event.officer}.`);
  }
});
setInterval(renderTimers, 1000);
pending = refresh().catch(() => setOnline(false)); // keys wait for it
