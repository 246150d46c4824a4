// On a shared screen (survey tablet, kiosk) the filed complaint goes away by itself, so the
// next visitor never reads it; the visitor took it along by scanning the QR code.
const panel = document.getElementById("shared-device");
const seconds = Number(panel.dataset.resetSeconds);
setTimeout(() => window.location.assign(panel.dataset.home), seconds * 1000);
