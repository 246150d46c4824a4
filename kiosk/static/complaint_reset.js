// On a shared screen (survey tablet, kiosk) the filed complaint goes away by itself, so the
// next visitor never reads it; the visitor took it along by scanning the QR code. The page
// is replaced in the history, so "back" does not bring it again either.
const panel = document.getElementById("shared-device");
const home = panel.dataset.home;
const leave = () => window.location.replace(home);
setTimeout(leave, Number(panel.dataset.resetSeconds) * 1000);
document.getElementById("done").addEventListener("click", (event) => {
  event.preventDefault();
  leave();
});
