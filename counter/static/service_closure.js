// Closing a service for the rest of the day (e.g. "Blangko kartu habis"): the kiosk shows why.
import { postJson } from "/static/realtime.js";
import { choose, isChoosing } from "./choose.js";

const COMMON_REASONS = ["Blangko kartu habis", "Sistem online sedang gangguan", "Petugas tidak lengkap"];

// A table cell with the service's state for the kiosk and the button that changes it.
export function closureCell(service, { onDone }) {
  const td = document.createElement("td");
  td.className = "closure";
  const button = document.createElement("button");
  button.type = "button";
  button.className = "small";
  if (service.closed_reason) {
    const reason = document.createElement("span");
    reason.className = "over";
    reason.textContent = `Ditutup: ${service.closed_reason} `;
    button.textContent = "Buka lagi";
    button.addEventListener("click", () => reopen(service, onDone));
    td.append(reason, button);
  } else {
    button.textContent = "Tutup hari ini…";
    button.addEventListener("click", () => close(service, onDone));
    td.append(button);
  }
  return td;
}

async function close(service, onDone) {
  if (isChoosing()) return;
  const reason = await choose({
    title: `Tutup ${service.name} sampai akhir hari? Alasan tampil di kios:`,
    options: COMMON_REASONS.map((r) => ({ label: r, value: r })),
    input: { caption: "Alasan" },
  });
  if (!reason) return;
  const { status, body } = await postJson(`/api/services/${encodeURIComponent(service.code)}/close`, { reason });
  onDone(status === 200 ? "" : body.error);
}

async function reopen(service, onDone) {
  const { status, body } = await postJson(`/api/services/${encodeURIComponent(service.code)}/reopen`);
  onDone(status === 200 ? "" : body.error);
}
