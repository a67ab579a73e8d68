/* Planbook charts: draws every figure embedded in the page with plotly.js (a local asset,
 * no network), in the colours of the Material palette, and redraws them when the reader
 * switches between the light and dark palettes. Figures are JSON in
 * <script type="application/json" data-pb-chart="ID">; colours in them are tokens such as
 * "pb:primary", "pb:c3" or "pb:fg@0.2", resolved here from Material's CSS variables. */
(function () {
  "use strict";
  if (window.PlanbookCharts) {
    // Re-evaluated by Material's instant navigation: just draw the new page.
    window.PlanbookCharts.render();
    return;
  }
  var TOKEN = /^pb:([a-z0-9]+)(?:@([0-9.]+))?$/;
  var VARS = {
    fg: "--md-default-fg-color",
    bg: "--md-default-bg-color",
    primary: "--md-primary-fg-color",
    accent: "--md-accent-fg-color",
    ok: "--pb-green",
    warn: "--pb-amber",
    bad: "--pb-red"
  };
  VARS.line = "--pb-line";
  VARS.mark = "--pb-mark";
  for (var n = 0; n < 12; n++) VARS["c" + n] = "--pb-chart-" + (n + 1);
  // The toolbar holds what a reader uses (download as PNG, reset); no control may send data
  // off the site, so plotly's "Share" / Chart Studio button and link are off. A figure's own
  // "config" (locale, same toolbar) is written at build time and merged over this.
  var CONFIG = {
    responsive: true,
    displaylogo: false,
    showSendToCloud: false,
    showEditInChartStudio: false,
    showLink: false,
    modeBarButtons: [["toImage", "resetScale2d"]],
    toImageButtonOptions: { format: "png", scale: 2 }
  };
  // Axis colours every axis has; the payload leaves them out (charts/payload.py).
  var AXIS = { gridcolor: "pb:fg@0.08", zerolinecolor: "pb:fg@0.2", linecolor: "pb:fg@0.3" };
  var AXIS_KEY = /^[xy]axis[0-9]*$/;
  var charts = [];
  var probe = null;

  function rgba(cssVar) {
    if (!probe || !probe.isConnected) {
      probe = document.createElement("span");
      probe.setAttribute("aria-hidden", "true");
      probe.style.display = "none";
      document.body.appendChild(probe);
    }
    probe.style.color = "";
    probe.style.color = "var(" + cssVar + ")";
    var parts = (getComputedStyle(probe).color.match(/[\d.]+/g) || [0, 0, 0]).map(Number);
    return { r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1 };
  }

  function palette() {
    var pal = {};
    Object.keys(VARS).forEach(function (name) {
      pal[name] = rgba(VARS[name]);
    });
    var font = getComputedStyle(document.body).getPropertyValue("--md-text-font-family").trim();
    pal.font = (font ? font + ", " : "") + "-apple-system, BlinkMacSystemFont, Helvetica, Arial, sans-serif";
    return pal;
  }

  function colour(pal, name, alpha) {
    var c = pal[name];
    if (!c) return name;
    var a = alpha === undefined ? c.a : Number(alpha);
    return "rgba(" + c.r + "," + c.g + "," + c.b + "," + a + ")";
  }

  function resolve(value, pal) {
    if (typeof value === "string") {
      var m = TOKEN.exec(value);
      return m ? colour(pal, m[1], m[2]) : value;
    }
    if (Array.isArray(value)) return value.map(function (v) { return resolve(v, pal); });
    if (value && typeof value === "object") {
      var out = {};
      Object.keys(value).forEach(function (k) { out[k] = resolve(value[k], pal); });
      return out;
    }
    return value;
  }

  // The payload as plotly reads it: an x shared by several traces is written once in
  // "xs" and named by its index; axes get their colours back.
  function expand(spec) {
    if (spec.xs) {
      (spec.data || []).forEach(function (t) {
        if (typeof t.x === "number") t.x = spec.xs[t.x];
      });
      delete spec.xs;
    }
    var lay = spec.layout || {};
    Object.keys(lay).forEach(function (k) {
      if (AXIS_KEY.test(k) && lay[k] && typeof lay[k] === "object") lay[k] = Object.assign({}, AXIS, lay[k]);
    });
    return spec;
  }

  function merge(base, patch) {
    var out = Array.isArray(base) ? base.slice() : Object.assign({}, base);
    Object.keys(patch).forEach(function (k) {
      var b = out[k], p = patch[k];
      out[k] = b && p && typeof b === "object" && typeof p === "object" && !Array.isArray(p) ? merge(b, p) : p;
    });
    return out;
  }

  // A figure may carry "narrow": {below: px, layout: {...}, data: {index: {...}}, height: px},
  // a second arrangement for a plot narrower than "below" (a phone): e.g. the budget donut
  // under the bars instead of a 60 px ring beside them.
  function isNarrow(spec, el) {
    return !!(spec.narrow && el && el.clientWidth && el.clientWidth < spec.narrow.below);
  }

  function themed(spec, pal, el) {
    var narrow = isNarrow(spec, el);
    var data = spec.data || [];
    var lay = spec.layout || {};
    if (narrow) {
      lay = merge(lay, spec.narrow.layout || {});
      data = merge(data, spec.narrow.data || {});
      if (spec.narrow.height) el.style.height = spec.narrow.height + "px";
    } else if (spec.narrow && el && el.getAttribute("data-pb-height")) {
      el.style.height = el.getAttribute("data-pb-height") + "px";
    }
    data = resolve(data, pal);
    var layout = resolve(lay, pal);
    layout.paper_bgcolor = "rgba(0,0,0,0)";
    layout.plot_bgcolor = "rgba(0,0,0,0)";
    layout.font = Object.assign({ family: pal.font, size: 12, color: colour(pal, "fg") }, layout.font || {});
    layout.hoverlabel = Object.assign({
      bgcolor: colour(pal, "bg"),
      bordercolor: colour(pal, "fg", 0.3),
      font: { color: colour(pal, "fg"), family: pal.font }
    }, layout.hoverlabel || {});
    layout.colorway = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map(function (i) { return colour(pal, "c" + i); });
    layout.autosize = true;
    return { data: data, layout: layout };
  }

  function draw(entry, pal, fresh) {
    if (entry.spec.narrow && !entry.el.getAttribute("data-pb-height")) {
      entry.el.setAttribute("data-pb-height", String(entry.el.clientHeight));
    }
    entry.narrow = isNarrow(entry.spec, entry.el);
    var fig = themed(entry.spec, pal, entry.el);
    var call = fresh ? window.Plotly.newPlot : window.Plotly.react;
    return call(entry.el, fig.data, fig.layout, Object.assign({}, CONFIG, entry.spec.config || {}));
  }

  function render() {
    if (!window.Plotly) return;
    charts = charts.filter(function (c) { return c.el.isConnected; });
    var scripts = document.querySelectorAll("script[data-pb-chart]");
    if (!scripts.length) return;
    var pal = palette();
    Array.prototype.forEach.call(scripts, function (script) {
      var el = document.getElementById(script.getAttribute("data-pb-chart"));
      if (!el || el.getAttribute("data-pb-rendered")) return;
      el.setAttribute("data-pb-rendered", "pending");
      var entry = { el: el, spec: expand(JSON.parse(script.textContent)) };
      charts.push(entry);
      draw(entry, pal, true).then(function () {
        el.setAttribute("data-pb-rendered", "true");
      });
    });
  }

  function recolour() {
    if (!window.Plotly) return;
    charts = charts.filter(function (c) { return c.el.isConnected; });
    var pal = palette();
    charts.forEach(function (entry) { draw(entry, pal, false); });
    document.body.setAttribute("data-pb-palette", String(Date.now()));
  }

  new MutationObserver(recolour).observe(document.body, {
    attributes: true,
    attributeFilter: ["data-md-color-scheme", "data-md-color-primary", "data-md-color-accent"]
  });
  // redraw a figure whose arrangement changes with the width (a phone turned, a window resized)
  var resizing = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(function () {
      var pal = null;
      charts.forEach(function (c) {
        if (c.el.isConnected && c.spec.narrow && c.narrow !== isNarrow(c.spec, c.el)) {
          draw(c, pal || (pal = palette()), false);
        }
      });
    }, 150);
  });
  // Printed, the content column is narrower than on screen (A4 portrait with Material's
  // 25 mm margins: ~590 px) and a plot keeps the width it was drawn at, so its right part
  // (the deadline, the last months, a panel) was cut. Before printing each plot is redrawn,
  // synchronously, at most PRINT_WIDTH wide; afterwards it fills its column again.
  var PRINT_WIDTH = 560;
  var printed = false;
  window.addEventListener("beforeprint", function () {
    if (!window.Plotly || printed) return;
    printed = true;
    charts.forEach(function (c) {
      if (!c.el.isConnected || c.el.clientWidth <= PRINT_WIDTH) return;
      c.printed = true;
      window.Plotly.relayout(c.el, { width: PRINT_WIDTH, autosize: false });
    });
  });
  window.addEventListener("afterprint", function () {
    printed = false;
    charts.forEach(function (c) {
      if (!c.printed || !c.el.isConnected) return;
      c.printed = false;
      window.Plotly.relayout(c.el, { width: null, autosize: true });
    });
  });

  window.PlanbookCharts = { render: render, recolour: recolour };
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () { render(); });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", render);
  } else {
    render();
  }
})();
