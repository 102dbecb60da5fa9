/* Draws every Vega-Lite chart on the page with the bundled vega-embed.
 * A chart is <div data-chart="ID"> with its spec in <script type="application/json" id="ID">;
 * what the div holds before (a server-drawn map, or nothing) stays if drawing fails.
 * Within the Content-Security-Policy (no eval, no inline style): Vega's expressions run in
 * vega-embed's bundled interpreter (ast: true) instead of new Function, and neither
 * vega-embed nor vega-tooltip injects a <style> element (their rules are in site.css). */
(function () {
  "use strict";
  var swedish = document.documentElement.lang === "sv";
  var formatLocale = swedish
    ? {decimal: ",", thousands: "\u2009", grouping: [3], currency: ["", " kr"]}
    : {decimal: ".", thousands: ",", grouping: [3], currency: ["SEK ", ""]};

  function draw(el) {
    var source = document.getElementById(el.getAttribute("data-chart"));
    if (!source || typeof vegaEmbed !== "function") { return; }
    var spec = JSON.parse(source.textContent);
    var target = document.createElement("div");
    target.className = "chart-canvas";
    vegaEmbed(target, spec, {
      actions: false, renderer: "svg", formatLocale: formatLocale,
      ast: true, defaultStyle: false,
      tooltip: {theme: "light", disableDefaultStyle: true}
    }).then(function () {
      el.replaceChildren(target);
      el.classList.add("chart-drawn");
    }).catch(function (error) {
      el.setAttribute("data-chart-error", String(error));
    });
  }

  function start() {
    document.querySelectorAll("[data-chart]").forEach(draw);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
