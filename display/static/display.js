// The waiting-room TV: shows calls as they happen and announces each one once, in order.
import { connect, FACTS } from "/static/realtime.js";
import { Announcer } from "/display/static/announcements.js";
import { StandardPager } from "/display/static/standards.js";

const RECENT_CALLS = 4; // and every counter's number in the row below
const FLASH_MS = 6000;
// What a counter shows in the "now serving" row when it has no number (public words only).
const BOARD_WORDS = { closed: "Tutup", paused: "Istirahat", open: "Siap" };
const data = JSON.parse(document.getElementById("display-data").textContent);
const $ = (id) => document.getElementById(id);

// ?counters=1,2 or ?services=ak1-baru limit a display to part of the office.
const params = new URLSearchParams(location.search);
const onlyCounters = params.get("counters") ? new Set(params.get("counters").split(",")) : null;
const onlyServices = params.get("services") ? new Set(params.get("services").split(",")) : null;
const shown = (ticket) =>
  (!onlyCounters || onlyCounters.has(ticket.counter)) && (!onlyServices || onlyServices.has(ticket.service));

// The latest calls, newest first: {id, number, counterName, skipped}. A call (or a recall)
// puts a number on top; starting or finishing its service moves nothing.
let recent = [];
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
  call.dataset.idle = "false";
  call.classList.remove("flash");
  void call.offsetWidth; // restart the animation for a repeated call
  call.classList.add("flash");
  setTimeout(() => call.classList.remove("flash"), FLASH_MS);
}

function putOnTop(entry) {
  recent = [entry, ...recent.filter((r) => r.id !== entry.id)].slice(0, RECENT_CALLS);
  renderRecent();
}

function markSkipped(ticketId) {
  const entry = recent.find((r) => r.id === ticketId);
  if (!entry) return;
  entry.skipped = true;
  renderRecent();
}

function renderRecent() {
  $("recent-empty").hidden = recent.length > 0;
  $("recent").replaceChildren(...recent.map((r) => {
    const row = document.createElement("li");
    row.classList.toggle("skipped", r.skipped);
    const number = document.createElement("span");
    number.className = "num";
    number.textContent = r.number;
    const where = document.createElement("span");
    where.className = r.skipped ? "tag" : "where";
    where.textContent = r.skipped ? "terlewat" : r.counterName;
    row.append(number, where);
    return row;
  }));
}

function renderBoard(board) {
  if (!board) return;
  $("board").replaceChildren(...board
    .filter((k) => !onlyCounters || onlyCounters.has(k.id))
    .map((k) => {
      const item = document.createElement("li");
      item.dataset.status = k.status;
      item.dataset.counter = k.id;
      const name = document.createElement("span");
      name.className = "name";
      name.textContent = k.name;
      const now = document.createElement("span");
      now.className = "now";
      now.textContent = k.number && !(k.status in BOARD_WORDS) ? k.number : BOARD_WORDS[k.status] || "";
      item.append(name, now);
      return item;
    }));
}

function renderQueue(queue) {
  $("waiting").replaceChildren(...queue.services
    .filter((s) => !onlyServices || onlyServices.has(s.code))
    .map((s) => {
      const item = document.createElement("li");
      for (const [cls, text] of [["prefix", s.prefix], ["name", s.name], ["count", s.waiting]]) {
        const part = document.createElement("span");
        part.className = cls;
        part.textContent = text;
        item.append(part);
      }
      return item;
    }));
  renderBoard(queue.board);
}

// A snapshot (first connect or reconnect) shows the present; it announces nothing.
function onSnapshot(queue) {
  renderQueue(queue);
  const calls = (queue.recent_calls || []).filter((c) => c.skipped ? !onlyCounters : shown(c));
  recent = calls.slice(0, RECENT_CALLS).map((c) => ({
    id: c.id, number: c.number, counterName: c.counter_name, skipped: c.skipped,
  }));
  renderRecent();
  for (const counter of queue.counters) {
    if (counter.ticket) announced.add(`${counter.ticket.id}:${counter.ticket.call_count}`);
  }
  const latest = queue.counters
    .filter((c) => c.ticket && c.ticket.state === "called" && shown(c.ticket))
    .sort((a, b) => (a.ticket.called_at < b.ticket.called_at ? 1 : -1))[0];
  if (latest) showCall(latest.ticket, latest.ticket.call_count);
}

function onCall({ ticket }) {
  if (!shown(ticket)) return;
  const key = `${ticket.id}:${ticket.call_count}`;
  showCall(ticket, ticket.call_count);
  putOnTop({ id: ticket.id, number: ticket.number, counterName: ticket.counter_name, skipped: false });
  if (announced.has(key)) return;
  announced.add(key);
  const call = { number: ticket.number, counter: ticket.counter, count: ticket.call_count };
  window.__queued.push(call);
  if (data.voice) announcer.add(call);
}

function onSkipped({ ticket }) {
  markSkipped(ticket.id);
}

function clock(timeZone) {
  const time = new Intl.DateTimeFormat("id-ID", { timeZone, hour: "2-digit", minute: "2-digit" });
  const date = new Intl.DateTimeFormat("id-ID", {
    timeZone, weekday: "long", day: "numeric", month: "long", year: "numeric",
  });
  const tick = () => {
    const now = new Date();
    $("clock-time").textContent = time.format(now);
    $("clock-date").textContent = date.format(now);
  };
  tick();
  setInterval(tick, 1000);
}

function showConnection(online) {
  const badge = $("connection");
  badge.dataset.online = online;
  badge.textContent = online ? "Terhubung" : "Terputus, menyambung ulang…";
  document.body.dataset.connected = online; // for whoever checks the TV from outside
}

clock(document.getElementById("display-script").dataset.timezone);
new StandardPager({
  services: data.services.filter((s) => !onlyServices || onlyServices.has(s.code)),
  panel: $("standard"),
}).start();
$("ticker").textContent = data.running_text.join("   •   ");
renderRecent();
// Public data only, also when an admin opens the TV to check it.
const socket = connect({ public: true }, { onStatus: showConnection });
socket.on(FACTS.SNAPSHOT, onSnapshot);
socket.on(FACTS.QUEUE_CHANGED, renderQueue);
socket.on(FACTS.TICKET_CALLED, onCall);
socket.on(FACTS.TICKET_RECALLED, onCall);
socket.on(FACTS.TICKET_SKIPPED, onSkipped);
