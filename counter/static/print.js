// "Cetak": the browser's print dialog (a script file, as the page's CSP allows no inline one).
document.getElementById("print").addEventListener("click", () => window.print());
