// The section head's view: every counter live, red when over its standard; pull or move tickets.
import { connect, FACTS, officeTime, oneAtATime, postJson } from "/static/realtime.js";
import { choose, isChoosing } from "./choose.js";
import { closureCell } from "./service_closure.js";
import { decimal, level, minutesSince, minutesText, syncWithServer, timerText } from "./timers.js";
import { renderSop, renderSopTimers, signedBy, sopCounts } from "./supervisor_sop.js";

const $ = (id) => document.getElementById(id);
let state = null;

const refresh = oneAtATime(load);

async function load() {
  const response = await fetch("/supervisor/state", { credentials: "same-origin" });
  if (!response.ok) {
    $("message").textContent = `Gagal memuat pantauan (server menjawab ${response.status}).`;
    return;
  }
  state = await response.json();
  syncWithServer(state.server_time);
  render();
}


function cell(text, className = "") {
  const td = document.createElement("td");
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function render() {
  renderAlerts();
  renderComplaints();
  renderCounters();
  renderSop(state);
  $("services").tBodies[0].replaceChildren(...state.services.map((s) => {
    const tr = document.createElement("tr");
    const waits = s.waits;
    const within = waits.called ? `${minutesText(waits.mean_minutes)} · ${waits.within_standard_percent}% ≤ standar` : "–";
    tr.append(cell(`${s.prefix} · ${s.name}`), cell(s.waiting), cell(s.next_numbers.join(", ") || "–"),
      cell(s.daily_quota ? `${s.issued_today}/${s.daily_quota}` : s.issued_today),
      cell(within, waits.called && waits.mean_minutes > state.waiting_standard_minutes ? "over" : ""),
      closureCell(s, { onDone: (error) => { $("message").textContent = error; refresh(); } }));
    return tr;
  }));
  $("wait-head").textContent = `Tunggu sampai dipanggil (standar ${decimal(state.waiting_standard_minutes)} mnt)`;
  $("long-waits-title").textContent = `Menunggu lebih dari ${state.waiting_alert_minutes} menit`;
  $("long-waits").replaceChildren(...(state.long_waits.length ? state.long_waits.map((t) => {
    const li = document.createElement("li");
    li.textContent = `${t.number} · ambil nomor ${officeTime(t.issued_at)} · ${t.minutes_in_office} menit `;
    const send = document.createElement("button");
    send.className = "small";
    send.textContent = "Kirim ke loket…";
    send.addEventListener("click", () => reassign(t.number, true));
    li.append(send);
    return li;
  }) : [Object.assign(document.createElement("li"), { textContent: "Tidak ada.", className: "none" })]));
  // Only steps done today; the rest are one line, not dozens of empty rows.
  const measured = state.steps.filter((r) => r.visits);
  const rows = measured.map((r) => {
    const tr = document.createElement("tr");
    const service = state.services.find((s) => s.code === r.service);
    tr.append(cell(`${service ? service.prefix : r.service} · ${r.number}. ${r.name}${signedBy(r)}`),
      cell(`${decimal(r.standard_minutes)} mnt`),
      cell(`${minutesText(r.mean_minutes)} (${r.visits}×)`, r.mean_minutes > r.standard_minutes ? "over" : ""),
      cell(r.over_standard, r.over_standard ? "over" : ""));
    return tr;
  });
  const empty = state.steps.length - measured.length;
  if (empty) {
    const row = document.createElement("tr");
    row.className = "no-data";
    const text = measured.length ? `${empty} langkah lain: tidak ada data hari ini.` : "Belum ada langkah yang selesai hari ini.";
    row.append(Object.assign(cell(text), { colSpan: 4 }));
    rows.push(row);
  }
  $("steps").tBodies[0].replaceChildren(...rows);
}

function renderComplaints() {
  const { open, overdue } = state.complaints;
  $("complaints-count").textContent = `${open} terbuka` + (overdue ? `, ${overdue} lewat target` : "");
  $("complaints-link").classList.toggle("late", overdue > 0);
}

// What is wrong and where, in Indonesian; addresses and protocol errors are in the hub's log.
function renderAlerts() {
  const alerts = state.alerts;
  $("alerts").hidden = alerts.length === 0;
  $("alerts").replaceChildren(...alerts.map((a) => {
    const p = document.createElement("p");
    p.textContent = `${a.message} `;
    const when = document.createElement("small");
    when.textContent = `(sejak pukul ${officeTime(a.at)})`;
    p.append(when);
    return p;
  }));
  $("restarts").hidden = state.restarts.length === 0;
  $("restarts").textContent = state.restarts.map((at) => `Hub dimulai ulang pukul ${officeTime(at)}.`).join(" ");
}

function renderCounters() {
  $("counters").replaceChildren(...state.counters.map((k) => {
    const card = document.createElement("article");
    card.className = "counter-card";
    card.dataset.counter = k.id;
    card.innerHTML = `<h3><span class=name></span><span class=state></span></h3>
      <span class=who></span><span class=number></span><span class=detail></span>
      <span class=timers></span><span class=today></span><span class=buttons></span>`;
    card.querySelector(".name").textContent = k.name;
    card.querySelector(".who").textContent = k.officer
      ? `${k.officer} sejak ${officeTime(k.since)}` : "tidak ada petugas";
    const t = k.ticket;
    card.querySelector(".number").textContent = t ? t.number : "–";
    card.querySelector(".state").textContent = k.paused_since
      ? `istirahat sejak ${officeTime(k.paused_since)}` : t ? t.state_label : "";
    if (k.paused_since) card.classList.add("paused");
    card.querySelector(".detail").textContent = t
      ? t.step ? `Langkah ${t.step.number}: ${t.step.name}` : `Panggilan ${t.call_count}/${t.max_calls}`
      : "";
    const day = k.today;
    card.querySelector(".today").textContent = `Hari ini: ${day.served} selesai` +
      (day.mean_service_minutes !== null ? ` · rata-rata ${minutesText(day.mean_service_minutes)} · ${day.within_standard_percent}% sesuai standar` : "") +
      (day.too_short ? ` · ${day.too_short} terlalu singkat` : "") +
      sopCounts(day);
    const buttons = card.querySelector(".buttons");
    if (t) {
      buttons.append(button("Tarik ke antrean", () => reassign(t.number, false)),
        button("Pindahkan ke loket…", () => reassign(t.number, true)));
    }
    // A counter with a number at it is freed only after the number is moved (the hub insists).
    // Only a held counter can be released, and only after the Kasi confirms.
    if (k.officer && !t) buttons.append(button("Lepaskan loket…", () => release(k)));
    return card;
  }));
  renderTimers();
}

function button(label, onClick) {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = label;
  b.addEventListener("click", onClick);
  return b;
}

// Red as soon as the current step or the whole visit passes its standard.
function renderTimers() {
  if (!state) return;
  renderSopTimers();
  for (const k of state.counters) {
    const card = document.querySelector(`.counter-card[data-counter="${CSS.escape(k.id)}"]`);
    const t = k.ticket;
    if (!card || !t) continue;
    if (t.state === "called") {
      // Called and nobody came (or the officer forgot "Mulai layani"): amber past the limit.
      const called = minutesSince(t.first_called_at);
      const long = called > state.called_alert_minutes;
      card.classList.toggle("called-long", long);
      card.querySelector(".timers").textContent = long
        ? `dipanggil ${timerText(called)} lalu, belum mulai dilayani`
        : `dipanggil ${timerText(called)} lalu`;
      continue;
    }
    card.classList.remove("called-long");
    if (!t.step) continue;
    const step = minutesSince(t.step.started_at);
    const total = minutesSince(t.started_at);
    const worst = [level(step, t.step.minutes), level(total, k.service_total_minutes)];
    const shown = worst.includes("over") ? "over" : worst.includes("near") ? "near" : "ok";
    card.classList.remove("ok", "near", "over");
    card.classList.add(shown);
    card.querySelector(".timers").textContent =
      `langkah ${timerText(step)} / ${t.step.minutes} mnt · total ${timerText(total)} / ${k.service_total_minutes} mnt`;
  }
}

async function reassign(number, toCounter) {
  if (isChoosing()) return;
  let body = {};
  if (toCounter) {
    const counter = await choose({
      title: `Pindahkan ${number} ke:`,
      options: state.counters.map((k) => ({ label: k.name, value: k.id })),
    });
    if (!counter) return;
    body = { counter };
  }
  const { status, body: answer } = await postJson(`/api/tickets/${encodeURIComponent(number)}/reassign`, body);
  $("message").textContent = status === 200 ? "" : answer.error;
  refresh();
}

async function release(counter) {
  if (isChoosing()) return;
  const sure = await choose({
    title: `Lepaskan ${counter.name} dari petugas ${counter.officer}?`,
    options: [{ label: `Ya, lepaskan (${counter.officer} harus membuka loket lagi untuk melayani)`, value: "yes" }],
  });
  if (sure !== "yes") return;
  const { status, body } = await postJson(`/api/counters/${encodeURIComponent(counter.id)}/release`);
  $("message").textContent = status === 200 ? "" : body.error;
  refresh();
}

const socket = connect({ facts: "none" }, { // it draws from queue_changed and its fetch
  onStatus: (online) => {
    $("connection").hidden = online;
    document.body.dataset.connected = online;
    if (online) refresh();
  },
});
socket.on(FACTS.QUEUE_CHANGED, refresh);
socket.on(FACTS.DEVICE_ALERT, refresh);
setInterval(renderTimers, 1000);
// Someone passing the waiting threshold changes nothing in the queue, so look again now and then.
setInterval(refresh, 30000);
refresh();
