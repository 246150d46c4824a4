// The "belum diinput online" backlog: what is still to be entered in SIAPkerja, oldest first.
import { officeTime, postJson } from "/static/realtime.js";

const $ = (id) => document.getElementById(id);

function age(days) {
  return days === 0 ? "hari ini" : days === 1 ? "kemarin" : `${days} hari`;
}

async function load() {
  const response = await fetch("/api/online-backlog", { credentials: "same-origin" });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    $("summary").textContent = data.error || `Gagal memuat daftar (server menjawab ${response.status}).`;
    return;
  }
  $("summary").textContent = data.count
    ? `${data.count.toLocaleString("id-ID")} kunjungan belum diinput.`
    : "Semua kunjungan sudah diinput. Tidak ada tunggakan.";
  $("backlog").tBodies[0].replaceChildren(...data.entries.map((entry) => {
    const tr = document.createElement("tr");
    tr.dataset.ticket = entry.ticket_id;
    for (const text of [
      entry.office_day_label, entry.number, entry.service_name,
      `${entry.counter_name} · ${entry.officer}`, officeTime(entry.finished_at), age(entry.age_days),
    ]) {
      const td = document.createElement("td");
      td.textContent = text;
      tr.append(td);
    }
    tr.children[5].className = entry.age_days > 0 ? "old" : "";
    const td = document.createElement("td");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "small";
    button.textContent = "Sudah diinput";
    button.addEventListener("click", () => clear(entry, button));
    td.append(button);
    tr.append(td);
    return tr;
  }));
}

async function clear(entry, button) {
  button.disabled = true; // a double click sends once; the hub refuses a second clear anyway
  const { status, body } = await postJson(`/api/online-backlog/${encodeURIComponent(entry.ticket_id)}/clear`);
  $("message").className = status === 200 ? "message" : "message error";
  $("message").textContent = status === 200
    ? `Nomor ${entry.number} (${entry.office_day_label}) dicatat sudah diinput oleh ${body.cleared_by} pukul ${officeTime(body.cleared_at)}.`
    : body.error;
  await load();
}

load();
setInterval(load, 30000);
