// Injected into a copy of grades/report.html only by the class report's browser test
// (checker/course/tests/class_report.rs): after layout, it lists what is cut off or missing
// and writes the list into <body data-layout-report="…"> for the test to read from the DOM
// that headless Chromium dumps. The report itself has no script.
//
// A problem is:
//   - an element sticking out of the page's column (main), at any width: a box that scrolls
//     inside itself (.scroll, pre) must fit, what it scrolls may be wider;
//   - a box that needs sideways scrolling on a wide screen (>= 1000 px);
//   - a chart (svg) that is missing, has no size, or draws nothing.
// Folded sections (<details>) are unfolded first: what they hold must fit as well.
(function () {
  function report() {
    const main = document.querySelector("main");
    const problems = [];
    if (!main) {
      document.body.setAttribute("data-layout-report", JSON.stringify(["no <main>"]));
      return;
    }
    // The folded fragments must fit too: unfold them before measuring.
    for (const d of main.querySelectorAll("details")) d.open = true;
    const column = main.getBoundingClientRect();
    const wide = window.innerWidth >= 1000;
    for (const el of main.querySelectorAll("*")) {
      const inBox = el.parentElement && el.parentElement.closest(".scroll, pre");
      if (inBox) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      const sticksOut = r.right > column.right + 1 || r.left < column.left - 1;
      const scrolls = (el.matches(".scroll") || el.tagName === "PRE") && el.scrollWidth > el.clientWidth + 1;
      if (sticksOut || (wide && scrolls)) {
        const text = (el.textContent || "").trim().replace(/\s+/g, " ").slice(0, 60);
        problems.push(
          `${el.tagName.toLowerCase()}${el.className ? "." + el.className : ""} ` +
            `${Math.round(Math.max(r.width, el.scrollWidth || 0))} px in a ${Math.round(column.width)} px column ` +
            `(${sticksOut ? "sticks out" : "scrolls sideways"}): ${text}`
        );
      }
    }
    const charts = main.querySelectorAll("svg.chart");
    if (charts.length < 3) problems.push(`${charts.length} charts, expected at least 3`);
    for (const svg of charts) {
      const r = svg.getBoundingClientRect();
      const bars = [...svg.querySelectorAll("rect.bar")].filter((b) => b.getBBox().width > 0 && b.getBBox().height > 0);
      if (r.width < 100 || r.height < 50 || bars.length === 0) {
        problems.push(`empty chart "${svg.getAttribute("aria-label")}": ${Math.round(r.width)}x${Math.round(r.height)} px, ${bars.length} bars drawn`);
      }
    }
    document.body.setAttribute("data-layout-report", JSON.stringify(problems));
  }
  if (document.readyState === "complete") report();
  else window.addEventListener("load", report);
})();
