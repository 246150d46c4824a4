// Issue 13 on the supervisor view: tickets away for a signature and how long each has waited,
// the "belum diinput online" backlog count, and who signed at each hand-over step.
import { minutesSince, timerText } from "./timers.js";

const $ = (id) => document.getElementById(id);

export function renderSop(state) {
  const parked = state.parked || [];
  $("parked").replaceChildren(...(parked.length ? parked.map((t) => {
    const li = document.createElement("li");
    li.dataset.parkedSince = t.parked_since;
    li.dataset.stepMinutes = t.step.minutes;
    const who = t.substitute ? `${t.signer} (pengganti)` : t.signer;
    li.innerHTML = "<strong></strong> <span class=what></span> <span class=away></span>";
    li.querySelector("strong").textContent = t.number;
    li.querySelector(".what").textContent = `${t.counter_name} · langkah ${t.step.number}. ${t.step.name} · TTD ${who} ·`;
    return li;
  }) : [Object.assign(document.createElement("li"), { textContent: "Tidak ada.", className: "none" })]));
  const count = state.online_backlog;
  $("backlog-count").textContent = count ? `${count.toLocaleString("id-ID")} kunjungan` : "tidak ada";
  $("backlog-count").className = count ? "over" : "";
  renderSopTimers();
}

// How long each parked file has been away, red once past its step's standard.
export function renderSopTimers() {
  for (const li of document.querySelectorAll("#parked li[data-parked-since]")) {
    const away = minutesSince(li.dataset.parkedSince);
    li.querySelector(".away").textContent = `menunggu ${timerText(away)}`;
    li.classList.toggle("over", away > Number(li.dataset.stepMinutes));
  }
}

// "TTD: Kabid 2×, Kasi 1×" after a hand-over step's name; "" for steps nobody signed.
export function signedBy(record) {
  const signers = (record.signed_by || []).map((s) =>
    `${s.signer}${s.signer === record.actor ? "" : " (pengganti)"} ${s.visits}×`);
  const parked = record.parked_visits ? ` · di luar loket rata-rata ${record.mean_parked_minutes.toLocaleString("id-ID")} mnt` : "";
  return signers.length ? ` · TTD: ${signers.join(", ")}${parked}` : parked;
}

// A counter's returns, comebacks served and "belum diinput online" finishes, when any.
export function sopCounts(day) {
  const parts = [];
  if (day.returned) parts.push(`dikembalikan ${day.returned}`);
  if (day.came_back) parts.push(`kembali dilayani ${day.came_back}`);
  if (day.not_entered_online) parts.push(`belum diinput online ${day.not_entered_online}`);
  return parts.length ? ` · ${parts.join(" · ")}` : "";
}
