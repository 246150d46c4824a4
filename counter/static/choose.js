// A keyboard-first choice dialog, with ONE rule an officer can learn:
//
//   * A list without a text field (Kembali ke langkah, Alihkan): the digit on an option's
//     badge moves to it (in "Kembali ke langkah" the digit is the step's number), ↑↓ move
//     too, and Enter takes it. A digit never takes an option by itself.
//   * A dialog with a text field (Berkas tidak lengkap, Istirahat, Panggil nomor): every
//     key typed goes into the field, digits too; the options show no digit badges and are
//     reached with ↓/↑, then Enter. Text that is no word (a lone "2" or "(1)") is not taken.
//
// Esc cancels everywhere.
const $ = (id) => document.getElementById(id);

// Resolves to the chosen option's value, the typed text, or null when cancelled.
// options: [{label, value, key?}]; key is the digit shown and pressed (default: its place).
// input: {caption, value, needsWord?}; needsWord refuses text without a letter.
export function choose({ title, options = [], input = null }) {
  const dialog = $("choose");
  const list = $("choose-options");
  $("choose-title").textContent = title;
  const keys = new Map();
  list.replaceChildren(...options.map((option, index) => {
    const li = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.value = option.value;
    button.innerHTML = "<kbd></kbd><span></span>";
    // One key, one digit: step 10 and 11 have no badge and are reached with the arrows.
    const wanted = input ? "" : String(option.key ?? (index < 9 ? index + 1 : ""));
    const key = wanted.length === 1 ? wanted : "";
    button.querySelector("kbd").textContent = key;
    button.querySelector("kbd").hidden = !key;
    button.querySelector("span").textContent = option.label;
    if (key) keys.set(key, button);
    li.append(button);
    return li;
  }));
  dialog.classList.toggle("with-field", Boolean(input));
  const field = $("choose-input");
  $("choose-input-label").hidden = !input;
  field.value = input ? input.value || "" : "";
  $("choose-input-caption").textContent = input ? input.caption : "";
  const hint = input
    ? "Ketikan masuk ke kolom. Pilih dari daftar dengan ↓ ↑ lalu Enter. Esc untuk batal."
    : "Tekan angka pada pilihan (atau ↓ ↑), lalu Enter. Esc untuk batal.";
  $("choose-hint").textContent = hint;
  $("choose-hint").classList.remove("refused");
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
    const takeText = () => {
      const text = field.value.trim();
      if (!text) return;
      if (input.needsWord && !/\p{L}/u.test(text)) {
        // A digit meant for the list: say so, keep the dialog, store nothing.
        $("choose-hint").textContent = `"${text}" bukan nama berkas atau alasan. Tulis dengan kata-kata, atau pilih dari daftar dengan ↓ lalu Enter.`;
        $("choose-hint").classList.add("refused");
        field.select();
        return;
      }
      finish(text);
    };
    const onKey = (event) => {
      const typing = document.activeElement === field;
      if (event.key === "Escape") {
        event.preventDefault();
        finish(null);
      } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        move(event.key === "ArrowDown" ? 1 : -1);
      } else if (event.key === "Enter" && typing) {
        event.preventDefault(); // never submit the form (that is Batal)
        takeText();
      } else if (input && !typing && event.key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey) {
        // On an option, a typed key still belongs to the field: the rule has no exception.
        event.preventDefault();
        field.focus();
        field.value += event.key;
      } else if (!input && keys.has(event.key)) {
        event.preventDefault();
        keys.get(event.key).focus(); // Enter takes it
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
