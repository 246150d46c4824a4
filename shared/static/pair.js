// Pairing a kiosk or TV. A pairing link ends in #code=123456 or #token=...: the browser never
// sends what follows "#", so neither reaches the hub's access log. Either is posted at once,
// so opening the link pairs. Without one, the 6-digit code is typed on the on-screen keypad.
(function () {
  const CODE_LENGTH = 6;
  const codeForm = document.getElementById("code-form");
  const field = document.getElementById("code");
  const digits = [...document.querySelectorAll("#digits .digit")];
  const submit = document.getElementById("code-submit");

  function render() {
    digits.forEach((box, i) => {
      box.textContent = field.value[i] || "";
      box.classList.toggle("filled", i < field.value.length);
    });
    submit.disabled = field.value.length !== CODE_LENGTH;
  }

  function type(key) {
    if (key === "clear") field.value = field.value.slice(0, -1);
    else if (/^[0-9]$/.test(key) && field.value.length < CODE_LENGTH) field.value += key;
    render();
  }

  document.getElementById("keypad").addEventListener("click", (event) => {
    const button = event.target.closest("button[data-digit], button[data-key]");
    if (button) type(button.dataset.digit || button.dataset.key);
  });
  // A keyboard works too (an admin pairing a TV with a remote keyboard).
  document.addEventListener("keydown", (event) => {
    if (event.target.closest("#pair-form")) return;
    if (/^[0-9]$/.test(event.key)) type(event.key);
    else if (event.key === "Backspace") type("clear");
    else if (event.key === "Enter" && !submit.disabled) codeForm.requestSubmit();
  });
  submit.addEventListener("click", () => { if (!submit.disabled) codeForm.requestSubmit(); });
  codeForm.addEventListener("submit", () => { submit.disabled = true; }); // one post per code

  const code = /^#code=([0-9]{6})$/.exec(window.location.hash);
  const token = /^#token=([A-Za-z0-9_-]+)$/.exec(window.location.hash);
  if (code || token) {
    // Out of the address bar and history before anything else can read it.
    history.replaceState(null, "", window.location.pathname + window.location.search);
  }
  if (code) {
    field.value = code[1];
    render();
    codeForm.requestSubmit();
  } else if (token) {
    const form = document.getElementById("pair-form");
    form.elements.token.value = token[1];
    form.requestSubmit();
  }
  render();
})();
