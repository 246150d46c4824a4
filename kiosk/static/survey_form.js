// Reads a survey form (phone or tablet) into the body the hub expects; no rule lives here.
export function answersOf(form, codes) {
  const scores = codes.map((code) => {
    const chosen = form.querySelector(`input[name="${code}"]:checked`);
    return chosen ? Number(chosen.value) : null;
  });
  const profile = {};
  for (const select of form.querySelectorAll("select")) {
    if (select.value) profile[select.name] = select.value;
  }
  const saran = form.querySelector("textarea[name=saran]");
  return { scores, profile, saran: saran ? saran.value : "" };
}
