/* Planbook: sortable and filterable tables (portfolio). No network, no dependencies. */
(function () {
  "use strict";
  function cellValue(row, index, kind) {
    var cell = row.children[index];
    if (!cell) return "";
    var raw = cell.hasAttribute("data-value") ? cell.getAttribute("data-value") : cell.textContent.trim();
    if (kind === "number") { var n = parseFloat(raw); return isNaN(n) ? -Infinity : n; }
    return raw;
  }
  function sortable(table) {
    var headers = table.querySelectorAll("thead th");
    headers.forEach(function (th, index) {
      th.style.cursor = "pointer";
      th.setAttribute("tabindex", "0");
      var sort = function () {
        var kind = th.getAttribute("data-sort") || "text";
        var asc = th.getAttribute("aria-sort") !== "ascending";
        headers.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellValue(a, index, kind), y = cellValue(b, index, kind);
          var c = kind === "number" ? x - y : String(x).localeCompare(String(y));
          return asc ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      };
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter") sort(); });
    });
  }
  function filters(root) {
    var selects = root.querySelectorAll("select[data-pb-filter]");
    var apply = function () {
      var rows = root.querySelectorAll("tbody tr");
      rows.forEach(function (row) {
        var show = true;
        selects.forEach(function (s) {
          var want = s.value, key = s.getAttribute("data-pb-filter");
          if (want && row.getAttribute("data-" + key) !== want) show = false;
        });
        row.hidden = !show;
      });
      // The totals are of every plan: with a filter on they would not add up to the
      // rows shown, so they step aside until it is cleared.
      var active = Array.prototype.some.call(selects, function (s) { return !!s.value; });
      root.querySelectorAll("tfoot tr").forEach(function (row) { row.hidden = active; });
    };
    selects.forEach(function (s) { s.addEventListener("change", apply); });
    apply();
  }
  // Card layout on phones: each cell shows its column's heading (data-label) beside the value.
  function labelCells(table) {
    var heads = [];
    table.querySelectorAll("thead tr:first-child > th").forEach(function (th) {
      for (var i = 0; i < (th.colSpan || 1); i++) heads.push(th.textContent.replace(/\s+/g, " ").trim());
    });
    table.querySelectorAll("tbody > tr, tfoot > tr").forEach(function (row) {
      var col = 0;
      Array.prototype.forEach.call(row.children, function (cell) {
        if (!cell.hasAttribute("data-label")) cell.setAttribute("data-label", heads[col] || "");
        col += cell.colSpan || 1;
      });
    });
  }
  function init() {
    document.querySelectorAll("table.pb-cards").forEach(labelCells);
    document.querySelectorAll("table[data-pb-sortable]").forEach(sortable);
    document.querySelectorAll("[data-pb-portfolio]").forEach(filters);
  }
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
