// Injected into the course book only by scripts/check_book_layout.py (never shipped): after
// the page has laid out, it lists every wide element (table, code block, picture, figure)
// that is cut off, and writes the list into <body data-layout-report="…"> for the script
// to read from the DOM that headless Chromium dumps.
//
// Cut off means:
//   - sticks out of the text column (its right edge is past the column's), or
//   - is a scroll box whose content is wider than the box, on a wide screen (>= 1000 px):
//     there, everything must be readable without scrolling sideways. On a narrow screen a
//     box that scrolls inside itself is the intended behaviour.
(function () {
  function report() {
    const main = document.querySelector("#content main") || document.querySelector("main");
    if (!main) return;
    const column = main.getBoundingClientRect();
    const wide = window.innerWidth >= 1000;
    const problems = [];
    const seen = new Set();
    for (const el of main.querySelectorAll("table, pre, img, svg, figure, .log-pair")) {
      if (el.closest("pre") && el.tagName !== "PRE") continue;
      let box = el;
      // mdBook wraps tables in a scrolling div: the wrapper is the box that must fit.
      if (el.tagName === "TABLE" && el.parentElement && el.parentElement.classList.contains("table-wrapper")) {
        box = el.parentElement;
      }
      if (seen.has(box)) continue;
      seen.add(box);
      const r = box.getBoundingClientRect();
      if (r.width === 0) continue;
      // mdBook scrolls a code block's <code>, not its <pre>: measure both.
      const code = el.tagName === "PRE" ? el.querySelector("code") : null;
      const inner = Math.max(box.scrollWidth, el.scrollWidth || 0, code ? code.scrollWidth : 0);
      const room = code ? Math.min(box.clientWidth, code.clientWidth || box.clientWidth) : box.clientWidth;
      const sticksOut = r.right > column.right + 1;
      const scrolls = inner > room + 1;
      if (sticksOut || (wide && scrolls)) {
        let heading = "";
        for (let p = box; p && !heading; p = p.previousElementSibling || p.parentElement) {
          if (/^H[1-4]$/.test(p.tagName)) heading = p.textContent.trim();
          if (p === main) break;
        }
        const text = (box.textContent || el.getAttribute("src") || "").trim().replace(/\s+/g, " ").slice(0, 60);
        problems.push(
          `${el.tagName.toLowerCase()} ${Math.round(Math.max(r.width, inner))} px in a ${Math.round(column.width)} px column` +
            ` (${sticksOut ? "sticks out" : "scrolls sideways"}) under "${heading.slice(0, 50)}": ${text}`
        );
      }
    }
    document.body.setAttribute("data-layout-report", JSON.stringify(problems));
  }
  if (document.readyState === "complete") report();
  else window.addEventListener("load", report);
})();
