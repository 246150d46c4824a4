// Two optional survey lines on the TV, kept apart from display.js: the published IKM in the
// running text, and "Silakan isi survei" with the number just finished (public facts only).
import { connect } from "/static/realtime.js";

const script = document.getElementById("survey-tv-script");
const SHOW_SECONDS = 20;

if (script.dataset.ikm) {
  const ticker = document.getElementById("ticker");
  ticker.textContent = `${ticker.textContent}   ✦   ${script.dataset.ikm}`;
}

if (script.dataset.prompt === "on") {
  const banner = document.createElement("div");
  banner.className = "survey-prompt";
  banner.id = "survey-prompt";
  banner.hidden = true;
  banner.setAttribute("role", "status");
  document.body.append(banner);
  let hideTimer = null;
  const socket = connect(undefined);
  socket.on(script.dataset.event, (prompt) => {
    if (!prompt.on.includes("tv")) return;
    banner.textContent = `Nomor ${prompt.number}: terima kasih, silakan isi survei kepuasan`;
    banner.hidden = false;
    clearTimeout(hideTimer);
    hideTimer = setTimeout(() => { banner.hidden = true; }, SHOW_SECONDS * 1000);
  });
}
