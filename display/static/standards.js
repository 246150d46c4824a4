// The published service standard (UU 25/2009) on the TV: every requirement and every SOP step
// of every service, a page at a time, at the TV's full text size. A page holds as many items
// as fit the panel (measured, so any screen and any text length works); the next page starts
// where it stopped.
const PAGE_SECONDS = 10;

export class StandardPager {
  constructor({ services, panel }) {
    this.panel = panel;
    this.views = services.flatMap((s) => [
      { service: s, title: "Persyaratan", items: s.requirements },
      {
        service: s,
        title: "Prosedur",
        items: s.steps.map((step) =>
          `${step.name} (${step.minutes} mnt${step.optional ? ", jika perlu" : ""})`),
      },
    ]);
    this.view = 0;
    this.start_ = 0; // first item of the page on screen
    this.shown = []; // every page shown: {service, title, from, to, total}, for tests
    window.__standardPager = this;
  }

  start() {
    if (this.views.length === 0) return;
    this.show();
    // The panel's height settles once the rows around it are filled: measure the page again.
    let height = 0;
    new ResizeObserver(() => {
      const now = this.panel.querySelector("#standard-items").clientHeight;
      if (now !== height) { height = now; this.show(false); }
    }).observe(this.panel);
    this.timer = setInterval(() => this.next(), PAGE_SECONDS * 1000);
  }

  next() {
    const view = this.views[this.view];
    if (this.end < view.items.length) {
      this.start_ = this.end;
    } else {
      this.view = (this.view + 1) % this.views.length;
      this.start_ = 0;
    }
    this.show();
  }

  show(log = true) {
    const { service, title, items } = this.views[this.view];
    const $ = (id) => this.panel.querySelector(`#${id}`);
    $("standard-service").textContent = `${service.prefix} · ${service.name}`;
    $("standard-list").textContent = title;
    const facts = $("standard-facts");
    facts.replaceChildren(`Waktu penyelesaian ${service.total_minutes} menit · Biaya: `);
    const cost = document.createElement("span");
    cost.className = service.free ? "free" : "";
    cost.textContent = service.free ? "GRATIS" : service.cost;
    facts.append(cost);
    if (service.product) facts.append(` · Produk: ${service.product}`);
    const list = $("standard-items");
    list.start = this.start_ + 1;
    list.replaceChildren();
    let end = this.start_;
    while (end < items.length) {
      const item = document.createElement("li");
      item.textContent = items[end];
      list.append(item);
      if (list.scrollHeight > list.clientHeight + 1 && end > this.start_) {
        item.remove(); // does not fit: it opens the next page
        break;
      }
      end += 1;
    }
    this.end = end;
    const paged = items.length > end - this.start_;
    $("standard-page").textContent = paged
      ? `${this.start_ + 1}–${end} dari ${items.length}` : `${items.length} butir`;
    if (log) this.shown.push({ service: service.code, title, from: this.start_ + 1, to: end, total: items.length });
  }
}
