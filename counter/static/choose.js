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
    let answer = null;
    const pick = (value) => {
      answer = value;
      dialog.close();
    };
    const onClick = (event) => {
      const button = event.target.closest("button[data-value]");
      if (button) pick(button.dataset.value);
    };
    const move = (by) => {
      const all = buttons();
      const at = all.indexOf(document.activeElement);
      const next = at === -1 ? (by > 0 ? 0 : all.length - 1) : at + by;
      if (next < 0 && input) field.focus();
      else if (all[next]) all[next].focus();
    };
    const onKey = (event) => {
      const typing = document.activeElement === field;
      if (/^[1-9]$/.test(event.key) && !typing) {
        event.preventDefault();
        const button = buttons()[Number(event.key) - 1];
        if (button) button.focus(); // Enter takes it
      } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        move(event.key === "ArrowDown" ? 1 : -1);
      } else if (event.key === "Enter" && typing) {
        event.preventDefault(); // never submit the form (that is Batal)
        if (field.value.trim()) pick(field.value.trim());
      }
      event.stopPropagation(); // the panel's own shortcuts wait until the dialog is closed
    };
    dialog.addEventListener("click", onClick);
    dialog.addEventListener("keydown", onKey);
    dialog.addEventListener("close", () => {
      dialog.removeEventListener("click", onClick);
      dialog.removeEventListener("keydown", onKey);
      document.activeElement.blur(); // shortcuts must work again at once, not type into the form
      resolve(answer);
    }, { once: true });
    dialog.showModal();
    if (input) field.focus();
    else list.focus(); // no option is taken by a stray Enter
  });
}

export function isChoosing() {
  return $("choose").open;
}
