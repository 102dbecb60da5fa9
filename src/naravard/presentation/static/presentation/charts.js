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

  /* A single chart (not panels, not a map) that comes out wider than its place, on a phone,
   * is drawn again at the width there is (Vega's "container" width), so that its text keeps
   * its size; panels and maps shrink to fit instead (site.css). */
  function refits(spec, el, target) {
    var single = !spec.facet && !spec.hconcat && !spec.vconcat && !spec.concat && !spec.repeat;
    var map = JSON.stringify(spec).indexOf('"projection"') !== -1;
    var svg = target.querySelector("svg");
    return single && !map && typeof spec.width === "number" && svg !== null &&
      svg.width.baseVal.value > el.clientWidth + 1;  // as drawn, before site.css shrinks it
  }

  function draw(el, fit) {
    var source = document.getElementById(el.getAttribute("data-chart"));
    if (!source || typeof vegaEmbed !== "function") { return; }
    var spec = JSON.parse(source.textContent);
    if (fit) {
      spec.width = "container";
      spec.autosize = {type: "fit-x", contains: "padding"};
    }
    var target = document.createElement("div");
    target.className = fit ? "chart-canvas fit" : "chart-canvas";
    var before = Array.prototype.slice.call(el.childNodes);
    if (fit) {  // a "container" width is read from the page: the canvas must be in it
      el.replaceChildren(target);
    }
    vegaEmbed(target, spec, {
      actions: false, renderer: "svg", formatLocale: formatLocale,
      ast: true, defaultStyle: false,
      tooltip: {theme: "light", disableDefaultStyle: true}
    }).then(function (result) {
      el.replaceChildren(target);
      if (!fit && refits(spec, el, target)) {
        result.finalize();
        el.replaceChildren.apply(el, before);
        draw(el, true);
        return;
      }
      el.classList.add("chart-drawn");
    }).catch(function (error) {
      if (fit) { el.replaceChildren.apply(el, before); }
      el.setAttribute("data-chart-error", String(error));
    });
  }

  function start() {
    document.querySelectorAll("[data-chart]").forEach(function (el) { draw(el, false); });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
