// A keyboard-first choice dialog: digits pick an option, Enter takes typed text, Esc cancels.
const $ = (id) => document.getElementById(id);

// Resolves to the chosen option's value, the typed text, or null when cancelled.
export function choose({ title, options = [], input = null }) {
  const dialog = $("choose");
  $("choose-title").textContent = title;
  $("choose-options").replaceChildren(...options.map((option, index) => {
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
    const onKey = (event) => {
      const typing = document.activeElement === field;
      if (/^[1-9]$/.test(event.key) && !typing) {
        const button = $("choose-options").querySelectorAll("button")[Number(event.key) - 1];
        if (button) {
          event.preventDefault();
          pick(button.dataset.value);
        }
      } else if (event.key === "Enter" && typing) {
        event.preventDefault();
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
    // Typing a number ("A12") beats picking from a long list; otherwise digits pick.
    if (input && (input.focus || !options.length)) field.focus();
    else ($("choose-options").querySelector("button") || field).focus();
  });
}

export function isChoosing() {
  return $("choose").open;
}
