// The waiting-room TV: shows calls as they happen and announces each one once, in order.
import { clock, connect, FACTS } from "/static/realtime.js";
import { Announcer } from "/display/static/announcements.js";

const RECENT_CALLS = 8;
const STANDARD_SECONDS = 12;
const FLASH_MS = 6000;
const data = JSON.parse(document.getElementById("display-data").textContent);
const $ = (id) => document.getElementById(id);

// ?counters=1,2 or ?services=ak1-baru limit a display to part of the office.
const params = new URLSearchParams(location.search);
const onlyCounters = params.get("counters") ? new Set(params.get("counters").split(",")) : null;
const onlyServices = params.get("services") ? new Set(params.get("services").split(",")) : null;
const shown = (ticket) =>
  (!onlyCounters || onlyCounters.has(ticket.counter)) && (!onlyServices || onlyServices.has(ticket.service));

const recent = []; // {id, number, counterName, state}
const announced = new Set(); // ticket id + call count: each call is spoken once, even if sent twice
window.__announcements = []; // what was spoken, for people checking the TV and for tests
window.__queued = []; // every call accepted for speaking, in order

const announcer = new Announcer({
  chime: data.chime,
  onBlocked: () => { $("enable-sound").hidden = false; },
  log: (entry) => window.__announcements.push(entry),
});
$("enable-sound").addEventListener("click", () => {
  $("enable-sound").hidden = true;
  announcer.resume();
});

function showCall(ticket, callCount) {
  $("call-number").textContent = ticket.number;
  $("call-counter").textContent = ticket.counter_name.toUpperCase();
  $("call-count").textContent = callCount > 1 ? `Panggilan ke-${callCount}` : "";
  const call = $("call");
  call.classList.remove("flash");
  void call.offsetWidth; // restart the animation for a repeated call
  call.classList.add("flash");
  setTimeout(() => call.classList.remove("flash"), FLASH_MS);
}

function remember(ticket, state) {
  const index = recent.findIndex((r) => r.id === ticket.id);
  if (index >= 0) recent.splice(index, 1);
  recent.unshift({ id: ticket.id, number: ticket.number, counterName: ticket.counter_name, state });
  recent.length = Math.min(recent.length, RECENT_CALLS);
  renderRecent();
}

function renderRecent() {
  $("recent").replaceChildren(...recent.map((r) => {
    const row = document.createElement("li");
    row.className = r.state;
    row.innerHTML = "<span class=num></span><span class=where></span>";
    row.querySelector(".num").textContent = r.number;
    row.querySelector(".where").textContent = r.state === "skipped" ? "terlewat" : r.counterName;
    return row;
  }));
}

function renderQueue(queue) {
  $("waiting").replaceChildren(...queue.services
    .filter((s) => !onlyServices || onlyServices.has(s.code))
    .map((s) => {
      const item = document.createElement("li");
      item.innerHTML = "<span class=prefix></span><span class=name></span><span class=count></span>";
      item.querySelector(".prefix").textContent = s.prefix;
      item.querySelector(".name").textContent = s.name;
      item.querySelector(".count").textContent = s.waiting;
      return item;
    }));
}

// A snapshot (first connect or reconnect) shows the present; it announces nothing.
function onSnapshot(queue) {
  renderQueue(queue);
  recent.length = 0;
  const active = queue.counters.filter((c) => c.ticket && shown(c.ticket));
  for (const counter of active) {
    remember(counter.ticket, counter.ticket.state);
    announced.add(`${counter.ticket.id}:${counter.ticket.call_count}`);
  }
  const latest = active.filter((c) => c.ticket.state === "called")
    .sort((a, b) => (a.ticket.called_at < b.ticket.called_at ? 1 : -1))[0];
  if (latest) showCall(latest.ticket, latest.ticket.call_count);
}

function onCall({ ticket }) {
  if (!shown(ticket)) return;
  const key = `${ticket.id}:${ticket.call_count}`;
  showCall(ticket, ticket.call_count);
  remember(ticket, "called");
  if (announced.has(key)) return;
  announced.add(key);
  const call = { number: ticket.number, counter: ticket.counter, count: ticket.call_count };
  window.__queued.push(call);
  if (data.voice) announcer.add(call);
}

function onSkipped({ ticket }) {
  if (shown(ticket) || (!onlyCounters && !onlyServices)) remember(ticket, "skipped");
}

// Each service's published standard in two views (UU 25/2009): what to bring, then the steps.
function rotateStandard() {
  const views = data.services.flatMap((s) => [[s, "requirements"], [s, "procedure"]]);
  let index = 0;
  const show = () => {
    const [s, view] = views[index % views.length];
    index += 1;
    const panel = $("standard");
    panel.innerHTML = `
      <h2>Standar Pelayanan</h2>
      <h3></h3>
      <dl>
        <dt class="list-title"></dt><dd><ol class="items"></ol></dd>
        <dt>Jangka waktu</dt><dd class="time"></dd>
        <dt>Biaya</dt><dd class="cost"></dd>
        <dt>Produk</dt><dd class="product"></dd>
      </dl>`;
    panel.querySelector("h3").textContent = `${s.prefix} · ${s.name}`;
    panel.querySelector(".list-title").textContent = view === "requirements" ? "Persyaratan" : "Prosedur";
    const items = view === "requirements"
      ? s.requirements
      : s.steps.filter((step) => !step.optional).map((step) => `${step.name} (${step.minutes} mnt)`);
    panel.querySelector(".items").replaceChildren(...items.slice(0, 6).map((text) => {
      const li = document.createElement("li");
      li.textContent = text;
      return li;
    }));
    panel.querySelector(".time").textContent = `${s.total_minutes} menit`;
    panel.querySelector(".cost").textContent = s.cost === "GRATIS" ? "GRATIS – tidak dipungut biaya" : s.cost;
    panel.querySelector(".product").textContent = s.product || s.name;
  };
  show();
  setInterval(show, STANDARD_SECONDS * 1000);
}

function ticker() {
  const parts = ["Semua layanan GRATIS, tidak dipungut biaya",
    "Nomor yang dipanggil 3 kali tanpa datang akan dilewati; silakan lapor ke petugas",
    `Pengaduan: ${data.complaints.join(" · ")}`];
  $("ticker").textContent = parts.join("   ✦   ");
}

clock($("clock"), document.getElementById("display-script").dataset.timezone);
rotateStandard();
ticker();
const socket = connect(undefined, {
  onStatus: (online) => {
    $("connection").hidden = online;
    document.body.dataset.connected = online; // for whoever checks the TV from outside
  },
});
socket.on(FACTS.SNAPSHOT, onSnapshot);
socket.on(FACTS.QUEUE_CHANGED, renderQueue);
socket.on(FACTS.TICKET_CALLED, onCall);
socket.on(FACTS.TICKET_RECALLED, onCall);
socket.on(FACTS.TICKET_SKIPPED, onSkipped);
socket.on(FACTS.TICKET_STARTED, ({ ticket }) => { if (shown(ticket)) remember(ticket, "serving"); });
