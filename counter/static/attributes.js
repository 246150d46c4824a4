// Visit attributes on the panel (statistics such as jenis kelamin and pendidikan, never
// personal data): one row per attribute while serving, each value on a button. Two digits
// record a value from the keyboard: the row's digit, then the value's ("1" "2" = row 1,
// value 2). Digits are free outside the choice lists, where they pick an option instead.
// Which attributes exist and whether recording is possible now come from the hub.

export function attributesPanel(container, record) {
  let rows = []; // [{key, label, choices}] shown now
  let pendingRow = null; // index of the row whose digit was pressed, waiting for a value

  function render(state, blocked) {
    const service = state.service;
    const open = !blocked && Boolean(service && service.attributes && service.attributes.length)
      && state.allowed.includes("record_attributes");
    rows = open ? service.attributes.slice(0, 9) : [];
    if (!open) pendingRow = null;
    container.hidden = !open;
    const chosen = state.visit_attributes || {};
    container.replaceChildren(...rows.map((attribute, index) => {
      const row = document.createElement("div");
      row.className = "attribute";
      row.dataset.key = attribute.key;
      row.classList.toggle("pending", pendingRow === index);
      const label = document.createElement("span");
      label.className = "label";
      label.innerHTML = "<kbd></kbd> <span></span>";
      label.querySelector("kbd").textContent = String(index + 1);
      label.querySelector("span").textContent = `${attribute.label}:`;
      row.append(label, ...attribute.choices.slice(0, 9).map((choice, position) => {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "small";
        button.dataset.value = choice;
        button.setAttribute("aria-pressed", String(chosen[attribute.key] === choice));
        button.innerHTML = "<kbd></kbd> <span></span>";
        button.querySelector("kbd").textContent = String(position + 1);
        button.querySelector("span").textContent = choice;
        button.title = `${attribute.label}: ${choice} (tombol ${index + 1} lalu ${position + 1})`;
        button.addEventListener("click", () => choose(index, position));
        return button;
      }));
      return row;
    }));
  }

  function choose(rowIndex, position) {
    const attribute = rows[rowIndex];
    pendingRow = null;
    container.querySelectorAll(".attribute.pending").forEach((r) => r.classList.remove("pending"));
    if (!attribute || position >= attribute.choices.length) return;
    record({ attributes: { [attribute.key]: attribute.choices[position] } });
  }

  // A key for the attribute rows: true when it was theirs (the panel then ignores it).
  function key(name) {
    if (!rows.length) return false;
    if (name === "Escape" && pendingRow !== null) {
      pendingRow = null;
      container.querySelectorAll(".attribute.pending").forEach((r) => r.classList.remove("pending"));
      return true;
    }
    if (!/^[1-9]$/.test(name)) return false;
    const digit = Number(name) - 1;
    if (pendingRow === null) {
      if (digit >= rows.length) return true; // no such row: swallowed, nothing else uses digits
      pendingRow = digit;
      container.children[digit].classList.add("pending");
      return true;
    }
    choose(pendingRow, digit);
    return true;
  }

  return { render, key };
}
