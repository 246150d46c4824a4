"""Box measurements of a page in Chromium: text sizes, overflow, overlap."""

from __future__ import annotations

MEASURE = """
(selectors) => {
  const visible = (el) => {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return box.width > 0 && box.height > 0
      && style.visibility !== "hidden" && style.opacity !== "0";
  };
  let smallest = Infinity;
  let smallestText = "";
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const text = node.textContent.trim();
    const parent = node.parentElement;
    if (!text || !parent || parent.closest("script, [hidden]") || !visible(parent)) continue;
    const size = parseFloat(getComputedStyle(parent).fontSize);
    if (size < smallest) { smallest = size; smallestText = text.slice(0, 50); }
  }
  const overflowing = [];
  for (const selector of selectors.boxes) {
    for (const el of document.querySelectorAll(selector)) {
      if (!visible(el)) continue;
      if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1) {
        overflowing.push(`${selector} "${el.textContent.trim().slice(0, 40)}" ` +
          `${el.scrollWidth}x${el.scrollHeight} in ${el.clientWidth}x${el.clientHeight}`);
      }
    }
  }
  const boxes = selectors.apart.map((s) => [s, document.querySelector(s)])
    .filter(([, el]) => el && visible(el))
    .map(([s, el]) => [s, el.getBoundingClientRect()]);
  const overlaps = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, p] = boxes[i];
      const [b, q] = boxes[j];
      if (p.left < q.right && q.left < p.right && p.top < q.bottom && q.top < p.bottom) {
        overlaps.push(`${a} overlaps ${b}`);
      }
    }
  }
  const offscreen = [...document.querySelectorAll(selectors.inside.join(","))]
    .filter(visible)
    .filter((el) => {
      const box = el.getBoundingClientRect();
      return box.right > innerWidth + 1 || box.bottom > innerHeight + 1
        || box.left < -1 || box.top < -1;
    })
    .map((el) => el.id || el.className);
  return { smallest, smallestText, overflowing, overlaps, offscreen };
}
"""


def measure(page, boxes=(), apart=(), inside=("main",)) -> dict:
    """The smallest visible text, boxes whose content spills, overlapping pairs, and boxes
    reaching out of the viewport."""
    return page.evaluate(
        MEASURE, {"boxes": list(boxes), "apart": list(apart), "inside": list(inside)}
    )


def box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def intersects(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )
