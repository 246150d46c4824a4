// /berkas: files by state; mark ready ("Tandai jadi"), hand over, reprint the pickup slip.
import { postJson } from "/static/realtime.js";

const REFRESH_SECONDS = 20;
const $ = (id) => document.getElementById(id);
let query = "";

function cell(text, className) {
  const td = document.createElement("td");
  td.textContent = text ?? "";
  if (className) td.className = className;
  return td;
}

function button(label, action, ref, primary) {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = label;
  b.dataset.action = action;
  b.dataset.ref = ref;
  if (primary) b.className = "primary";
  return b;
}

function noticeText(file) {
  if (!file.contact) return "tanpa kontak";
  if (!file.notice) return `kontak: ${file.contact}`;
  if (file.notice.failing) return `belum terkirim (${file.notice.attempts}x gagal, dicoba lagi)`;
  return { antre: "dalam antrean", terkirim: "terkirim", dibatalkan: "dibatalkan" }[file.notice.state];
}

function row(file, section) {
  const tr = document.createElement("tr");
  tr.dataset.code = file.pickup_code;
  tr.append(cell(file.number), cell(file.service_name), cell(file.pickup_code, "code"));
  const actions = cell("");
  if (section === "processing" || (section === "found" && file.state === "diproses")) {
    tr.append(cell(file.visit_day_text), cell(file.ready_by_text));
    actions.append(button("Tandai jadi", "jadi", file.pickup_code, true));
  } else if (section === "ready" || (section === "found" && file.state === "jadi")) {
    tr.append(cell(file.ready_text), cell(noticeText(file)));
    actions.append(button("Serahkan", "diambil", file.pickup_code));
  } else {
    tr.append(cell(file.picked_up_text || file.state_label), cell(""));
  }
  if (file.state !== "diambil") actions.append(button("Cetak bukti", "cetak", file.pickup_code));
  tr.append(actions);
  return tr;
}

function fill(id, files) {
  const section = $(id);
  const body = section.querySelector("tbody");
  const rows = files.map((file) => row(file, id));
  if (!rows.length) {
    const tr = document.createElement("tr");
    const td = cell("Tidak ada.", "empty");
    td.colSpan = 6;
    tr.append(td);
    rows.push(tr);
  }
  body.replaceChildren(...rows);
  const count = section.querySelector(".count");
  if (count) count.textContent = `(${files.length})`;
}

async function refresh() {
  try {
    const response = await fetch(`/berkas/data?q=${encodeURIComponent(query)}`, { credentials: "same-origin" });
    if (!response.ok) return;
    const data = await response.json();
    const searching = Boolean(query);
    $("found").hidden = !searching;
    $("search-clear").hidden = !searching;
    for (const id of ["processing", "ready", "picked_up"]) $(id).hidden = searching;
    if (searching) {
      fill("found", data.found);
      return;
    }
    $("pickups").hidden = data.pickups.length === 0;
    $("pickups").querySelector("tbody").replaceChildren(...data.pickups.map((p) => {
      const tr = document.createElement("tr");
      const where = p.counter_name ? `${p.ticket_state} · ${p.counter_name}` : p.ticket_state;
      tr.append(cell(p.ticket, "code"), cell(where), cell(p.number), cell(p.service_name),
        cell(p.pickup_code, "code"), cell(p.visit_day_text));
      return tr;
    }));
    fill("processing", data.processing);
    fill("ready", data.ready);
    fill("picked_up", data.picked_up);
    $("notices-alert").hidden = !data.notices_failing;
    $("notices-alert").textContent = `${data.notices_failing} pemberitahuan belum terkirim; dicoba lagi otomatis.`;
  } catch {
    // Offline for a moment: the next refresh brings it back.
  }
}

const DONE = { jadi: "ditandai jadi", diambil: "diserahkan", cetak: "dicetak ulang" };

document.querySelector("main").addEventListener("click", async (event) => {
  const target = event.target.closest("button[data-action]");
  if (!target || target.disabled) return;
  target.disabled = true;
  const { action, ref } = target.dataset;
  const { status, body } = await postJson(`/berkas/${encodeURIComponent(ref)}/${action}`);
  const message = $("message");
  message.classList.toggle("error", status >= 400);
  message.textContent = status >= 400 ? body.error : `Berkas ${body.number} ${DONE[action]}.`;
  target.disabled = false;
  refresh();
});

$("search").addEventListener("submit", (event) => {
  event.preventDefault();
  query = $("search-code").value.trim();
  refresh();
});
$("search-clear").addEventListener("click", () => {
  query = "";
  $("search-code").value = "";
  refresh();
});
refresh();
setInterval(refresh, REFRESH_SECONDS * 1000);
