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
// Coming back to the page (the browser's back button) finds the button usable again.
window.addEventListener("pageshow", () => {
  document.getElementById("send").disabled = false;
});
