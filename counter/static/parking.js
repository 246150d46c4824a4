// Issue 13 on the panel: "Tunggu TTD" (park a ticket while someone signs), "Lanjutkan" (resume
// it), the signer chosen among the step's actor and its substitutes, and "Selesai, belum
// diinput online". What may be pressed still comes from the hub (state.allowed).
import { choose } from "./choose.js";
import { level, minutesSince, timerText } from "./timers.js";

// Actions that open a list, so keys typed right after them go into the list's field.
export const PARKING_LISTS = ["park", "hand_over", "resume_ticket"];

// Panel action -> the counter action the hub knows, and the body it carries even when the hub
// is expected to refuse (so its refusal names the real reason).
export const SENT_AS = {
  finish_offline: () => ["finish", { not_entered_online: true }],
  resume_ticket: (state) => ["resume_ticket", { ticket: state.parked[0].number }],
};

// What the panel says at once, without asking the hub, when there is nothing to act on.
export function nothingToDo(action, state) {
  if (action === "resume_ticket" && !state.parked.length) {
    return "Tidak ada nomor yang menunggu TTD di loket ini.";
  }
  return null;
}

const currentStep = (state) =>
  state.ticket && state.ticket.step && state.service.steps[state.ticket.step.number - 1];

async function chooseSigner(state, title) {
  const step = currentStep(state);
  const signers = step && step.signers.length ? step.signers : [step ? step.actor : ""];
  if (signers.length === 1) return { signer: signers[0] };
  const signer = await choose({
    title,
    options: signers.map((name, index) => ({
      label: index === 0 ? `${name} (pelaksana SOP)` : `${name} (pengganti)`, value: name,
    })),
  });
  return signer && { signer };
}

// Dialogs asked before each action is sent; null means the officer cancelled.
export function parkingAsk(getState) {
  return {
    async park() {
      const state = getState();
      return chooseSigner(state, `Tunggu TTD: ${state.ticket.number} keluar dari loket. Siapa yang menandatangani?`);
    },
    async hand_over() {
      return chooseSigner(getState(), "Serahkan ke: siapa yang menandatangani?");
    },
    async resume_ticket() {
      const parked = getState().parked;
      if (parked.length === 1) return { ticket: parked[0].number };
      const number = await choose({
        title: "Lanjutkan nomor (berkas sudah kembali):",
        options: parked.map((t) => ({
          label: `${t.number} · ${t.step.name} · ${t.signer} · ${timerText(minutesSince(t.parked_since))}`,
          value: t.number,
        })),
      });
      return number && { ticket: number };
    },
    async finish_offline() {
      return { not_entered_online: true };
    },
  };
}

// The counter's parked tickets with their timers: away for, the step's time, the visit's.
export function renderParked(state, list, heading) {
  const parked = (state && state.parked) || [];
  heading.hidden = list.hidden = !parked.length;
  list.replaceChildren(...parked.map((t) => {
    const li = document.createElement("li");
    li.innerHTML = "<strong class=number></strong> <span class=what></span><span class=who></span><span class=timers></span>";
    li.querySelector(".number").textContent = t.number;
    li.querySelector(".what").textContent = `${t.step.number}. ${t.step.name}`;
    li.querySelector(".who").textContent = `TTD ${t.signer}${t.substitute ? " (pengganti)" : ""}`;
    const away = minutesSince(t.parked_since);
    const step = minutesSince(t.step.started_at);
    const total = minutesSince(t.started_at);
    li.querySelector(".timers").textContent =
      `di luar loket ${timerText(away)} · langkah ${timerText(step)}/${t.step.minutes} mnt · total ${timerText(total)}/${t.total_minutes} mnt`;
    li.className = level(step, t.step.minutes);
    return li;
  }));
}
