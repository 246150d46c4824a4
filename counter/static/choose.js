// A keyboard-first choice dialog. Nothing is chosen by one stray key: a digit or an arrow
// moves to an option and Enter takes it; where text may be typed, typing goes into the field
// and Enter takes the text. Esc cancels.
const $ = (id) => document.getElementById(id);

// Resolves to the chosen option's value, the typed text, or null when cancelled.
export function choose({ title, options = [], input = null }) {
  const dialog = $("choose");
  const list = $("choose-options");
  $("choose-title").textContent = title;
  list.replaceChildren(...options.map((option, index) => {
    const li = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.value = option.value;
    button.innerHTML = "<kbd></kbd> <span></span>";
    button.querySelector("kbd").textContent = index < 9 ? String(index + 1) : "";
    button.querySelector("span").textContent = option.label;
    li.append(button);
    return li;
  }));
  const field = $("choose-input");
  $("choose-input-label").hidden = !input;
  field.value = input ? input.value || "" : "";
  $("choose-input-caption").textContent = input ? input.caption : "";
  $("choose-hint").textContent = input
    ? "Ketik lalu Enter, atau ↓ untuk memilih dari daftar lalu Enter. Esc untuk batal."
    : "Tekan angka pilihan (atau ↑↓) lalu Enter. Esc untuk batal.";
  const buttons = () => [...list.querySelectorAll("button")];

  return new Promise((resolve) => {
    // Everything ends here, at once: the browser's own "close" event comes a task later, and a
    // key pressed in between must already belong to the panel again.
    let finished = false;
    const finish = (value) => {
      if (finished) return;
      finished = true;
      dialog.removeEventListener("click", onClick);
      dialog.removeEventListener("keydown", onKey);
      dialog.removeEventListener("close", onClose);
      if (dialog.open) dialog.close();
      field.blur(); // the browser may hand focus back to the hidden field
      document.activeElement.blur();
      resolve(value);
    };
    const onClick = (event) => {
      const button = event.target.closest("button[data-value]");
      if (button) finish(button.dataset.value);
    };
    const onClose = () => finish(null); // "Batal", or a close the browser made itself
    const move = (by) => {
      const all = buttons();
      const at = all.indexOf(document.activeElement);
      const next = at === -1 ? (by > 0 ? 0 : all.length - 1) : at + by;
      if (next < 0 && input) field.focus();
      else if (all[next]) all[next].focus();
    };
    const onKey = (event) => {
      const typing = document.activeElement === field;
      if (event.key === "Escape") {
        event.preventDefault();
        finish(null);
      } else if (/^[1-9]$/.test(event.key) && !typing) {
        event.preventDefault();
        const button = buttons()[Number(event.key) - 1];
        if (button) button.focus(); // Enter takes it
      } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        move(event.key === "ArrowDown" ? 1 : -1);
      } else if (event.key === "Enter" && typing) {
        event.preventDefault(); // never submit the form (that is Batal)
        if (field.value.trim()) finish(field.value.trim());
      }
      event.stopPropagation(); // the panel's own shortcuts wait until the dialog is closed
    };
    dialog.addEventListener("click", onClick);
    dialog.addEventListener("keydown", onKey);
    dialog.addEventListener("close", onClose);
    dialog.showModal();
    if (input) field.focus();
    else list.focus(); // no option is taken by a stray Enter
  });
}

export function isChoosing() {
  return $("choose").open;
}
