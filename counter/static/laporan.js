// The period report's charts, drawn with the vendored Chart.js from the data block the server
// wrote into the page (#chart-data). Every figure and every label comes from the server,
// already written the Indonesian way: this file only draws. Series differ by pattern, dash
// and marker as well as by colour, and bars carry their value, so a black-and-white print
// still reads.

// Five looks, enough for the five services of an office; a sixth starts over.
const SERIES_COLOURS = ["#0b5cab", "#1b2430", "#7a8594", "#4a6f9c", "#000000"];
const LINE_DASHES = [[], [8, 4], [2, 3], [12, 3, 2, 3], [4, 4]];
const POINT_STYLES = ["circle", "rect", "triangle", "rectRot", "crossRot"];
const LOOKS = SERIES_COLOURS.length;
const STANDARD_COLOUR = "#b3261e";
const FONT = '"Noto Sans", "DejaVu Sans", Arial, sans-serif';

// Solid for the first series, then diagonal hatching, then dots: told apart without colour.
function fill(index) {
  const colour = SERIES_COLOURS[index % LOOKS];
  if (index % 3 === 0) return colour;
  const tile = document.createElement("canvas");
  tile.width = tile.height = 8;
  const pen = tile.getContext("2d");
  pen.fillStyle = "#fff";
  pen.fillRect(0, 0, 8, 8);
  pen.strokeStyle = pen.fillStyle = colour;
  if (index % 3 === 1) {
    pen.lineWidth = 2;
    pen.beginPath();
    pen.moveTo(0, 8); pen.lineTo(8, 0);
    pen.moveTo(-2, 2); pen.lineTo(2, -2);
    pen.moveTo(6, 10); pen.lineTo(10, 6);
    pen.stroke();
  } else {
    pen.beginPath();
    pen.arc(4, 4, 1.8, 0, 2 * Math.PI);
    pen.fill();
  }
  return pen.createPattern(tile, "repeat");
}

// Writes each bar's or point's label (sent by the server) beside it.
const valueLabels = {
  id: "valueLabels",
  afterDatasetsDraw(chart) {
    const { ctx } = chart;
    const horizontal = chart.options.indexAxis === "y";
    ctx.save();
    ctx.font = `600 11px ${FONT}`;
    ctx.fillStyle = "#1b2430";
    chart.data.datasets.forEach((dataset, i) => {
      if (!dataset.valueLabels || chart.getDatasetMeta(i).hidden) return;
      chart.getDatasetMeta(i).data.forEach((element, j) => {
        const text = dataset.valueLabels[j];
        if (!text) return;
        if (horizontal) {
          ctx.textAlign = "left";
          ctx.textBaseline = "middle";
          ctx.fillText(text, element.x + 4, element.y);
        } else {
          ctx.textAlign = "center";
          ctx.textBaseline = "bottom";
          ctx.fillText(text, element.x, element.y - 3);
        }
      });
    });
    ctx.restore();
  },
};

function datasets(spec) {
  const drawn = spec.series.map((series, i) => {
    const base = { label: series.name, data: series.values, valueLabels: series.value_labels };
    if (spec.kind === "line") {
      return {
        ...base,
        borderColor: SERIES_COLOURS[i % LOOKS],
        backgroundColor: SERIES_COLOURS[i % LOOKS],
        borderDash: LINE_DASHES[i % LOOKS],
        pointStyle: POINT_STYLES[i % LOOKS],
        pointRadius: 4,
        borderWidth: 2,
        spanGaps: true,
        clip: 8, // a point at the top of the scale (100 %) is drawn whole
      };
    }
    return { ...base, backgroundColor: fill(i), borderColor: SERIES_COLOURS[i % LOOKS], borderWidth: 1 };
  });
  if (spec.standard) {
    // A dashed bar across each category at its own standard (services differ).
    drawn.push({
      type: "line",
      label: spec.standard.name,
      data: spec.standard.values,
      valueLabels: null,
      showLine: spec.kind === "line",
      borderColor: STANDARD_COLOUR,
      backgroundColor: STANDARD_COLOUR,
      borderDash: [6, 3],
      borderWidth: 2,
      pointStyle: "line",
      pointRadius: spec.kind === "line" ? 0 : 34,
      pointHoverRadius: spec.kind === "line" ? 0 : 34,
      pointBorderWidth: 3,
      order: -1,
    });
  }
  return drawn;
}

function draw(spec, Chart) {
  const canvas = document.getElementById(spec.id);
  if (!canvas) return null;
  const horizontal = spec.kind === "hbar";
  return new Chart(canvas, {
    type: spec.kind === "line" ? "line" : "bar",
    data: { labels: spec.labels, datasets: datasets(spec) },
    plugins: [valueLabels],
    options: {
      animation: false, // drawn at once: for the printout and for whoever reads it now
      responsive: true,
      maintainAspectRatio: false,
      indexAxis: horizontal ? "y" : "x",
      layout: { padding: { top: 18, right: horizontal ? 70 : 8 } },
      plugins: {
        legend: { display: spec.series.length > 1 || Boolean(spec.standard), labels: { usePointStyle: true } },
        tooltip: { enabled: true },
      },
      scales: {
        [horizontal ? "x" : "y"]: {
          beginAtZero: true,
          title: { display: Boolean(spec.axis_label), text: spec.axis_label },
          ticks: {
            callback: (value) => Number(value).toLocaleString("id-ID"),
            precision: spec.whole_numbers ? 0 : undefined,
          },
          max: spec.max,
          grace: spec.max ? 0 : "8%",
        },
        // Every category keeps its label; only a long run of days may skip some.
        [horizontal ? "y" : "x"]: { ticks: { autoSkip: spec.kind === "line", maxRotation: 0 } },
      },
    },
  });
}

function drawAll() {
  const block = document.getElementById("chart-data");
  const Chart = window.Chart;
  if (!block || !Chart) return;
  Chart.defaults.font.family = FONT;
  Chart.defaults.color = "#1b2430";
  const charts = JSON.parse(block.textContent).map((spec) => draw(spec, Chart)).filter(Boolean);
  // Paper is narrower than the screen: redraw to the printed width, and print folded tables.
  window.addEventListener("beforeprint", () => {
    document.querySelectorAll("details").forEach((folded) => { folded.open = true; });
    charts.forEach((chart) => chart.resize());
  });
  document.body.dataset.chartsDrawn = String(charts.length);
}

// "Tampilkan semua": the rows of a long table beyond its top ones.
function unfoldOnRequest() {
  document.querySelectorAll("button[data-shows]").forEach((button) => {
    button.addEventListener("click", () => {
      document.getElementById(button.dataset.shows).dataset.all = "";
      button.remove();
    });
  });
}

// The period picker shows only the field of the period chosen (all of them without script).
function followPeriodChoice() {
  const choice = document.getElementById("periode");
  if (!choice) return;
  const show = () => {
    document.querySelectorAll("[data-period-field]").forEach((field) => {
      const mine = field.dataset.periodField.split(" ").includes(choice.value);
      field.hidden = !mine;
      field.querySelectorAll("input, select").forEach((input) => { input.disabled = !mine; });
    });
  };
  choice.addEventListener("change", show);
  show();
  // "Semua ..." sends nothing rather than an empty filter: the address stays short to share.
  const filters = ["layanan", "loket", "petugas"].map((id) => document.getElementById(id));
  choice.form.addEventListener("submit", () => {
    filters.forEach((select) => { select.disabled = !select.value; });
  });
  // Back to this page from the browser's history: the filters must work again.
  window.addEventListener("pageshow", () => filters.forEach((select) => { select.disabled = false; }));
}

followPeriodChoice();
unfoldOnRequest();
drawAll();
