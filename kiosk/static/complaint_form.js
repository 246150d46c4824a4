// The public complaint form: an anonymous complaint carries no contact, so the field is
// switched off while "anonim" is ticked (the hub refuses the pair anyway, with the reason).
const anonymous = document.getElementById("anonim");
const contact = document.getElementById("kontak");

function sync() {
  contact.disabled = anonymous.checked;
  if (anonymous.checked) contact.value = "";
}

anonymous.addEventListener("change", sync);
sync();

// One tap files once: the button is locked while the form is on its way.
document.getElementById("complaint-form").addEventListener("submit", () => {
  document.getElementById("send").disabled = true;
});
// Coming back to the page with the browser's back button: the button is usable again, and
// the form is as the hub drew it, never as the last visitor left it (a shared screen), with
// the fresh request id the hub gave it (an old one would show the last visitor's complaint).
window.addEventListener("pageshow", (event) => {
  const [navigation] = performance.getEntriesByType("navigation");
  if (event.persisted || navigation?.type === "back_forward") {
    document.getElementById("complaint-form").reset();
    sync();
  }
  document.getElementById("send").disabled = false;
});
