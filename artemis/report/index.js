"use strict";
// The index of episodes: sort by a column heading, filter by text or by failures, and move a
// current row with the keyboard (Enter opens its episode).
(function () {
  var table = document.getElementById("episodes");
  if (!table) return;
  var body = table.tBodies[0];
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var filter = document.getElementById("filter");
  var onlyFailed = document.getElementById("only-failed");
  var shown = document.getElementById("shown");
  var current = null;

  function rows() { return Array.prototype.slice.call(body.rows); }
  function visible() { return rows().filter(function (r) { return !r.hidden; }); }

  function select(row) {
    if (current) current.classList.remove("current");
    current = row;
    if (!row) return;
    row.classList.add("current");
    row.scrollIntoView({ block: "nearest" });
  }

  function move(delta) {
    var vis = visible();
    if (!vis.length) return;
    var i = vis.indexOf(current);
    if (i < 0) i = delta > 0 ? -1 : vis.length;
    select(vis[Math.max(0, Math.min(vis.length - 1, i + delta))]);
  }

  function sortBy(col) {
    var th = heads[col];
    var asc = th.getAttribute("aria-sort") !== "ascending";
    heads.forEach(function (h) { h.setAttribute("aria-sort", "none"); });
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
    var numeric = th.dataset.type === "num";
    var sorted = rows().sort(function (a, b) {
      var x = a.cells[col].dataset.v, y = b.cells[col].dataset.v;
      var c;
      if (numeric) {
        var nx = x === "" ? Infinity : Number(x), ny = y === "" ? Infinity : Number(y);
        c = nx - ny;
      } else {
        c = x.localeCompare(y);
      }
      return asc ? c : -c;
    });
    sorted.forEach(function (r) { body.appendChild(r); });
  }

  function applyFilter() {
    var q = filter.value.trim().toLowerCase();
    var n = 0;
    rows().forEach(function (r) {
      var hide = (q && r.textContent.toLowerCase().indexOf(q) < 0) ||
        (onlyFailed.checked && r.classList.contains("ok"));
      r.hidden = Boolean(hide);
      if (!hide) n += 1;
    });
    shown.textContent = n + " of " + body.rows.length + " shown";
    if (current && current.hidden) select(null);
  }

  heads.forEach(function (th, i) {
    th.addEventListener("click", function () { sortBy(i); });
    th.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        e.stopPropagation();
        sortBy(i);
      }
    });
  });
  rows().forEach(function (r) {
    r.addEventListener("click", function () { select(r); });
  });
  filter.addEventListener("input", applyFilter);
  onlyFailed.addEventListener("change", applyFilter);

  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    var t = e.target;
    var typing = t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
    if (typing) {
      if (e.key === "Escape" || e.key === "Enter") { t.blur(); e.preventDefault(); }
      return;
    }
    switch (e.key) {
      case "j": case "ArrowDown": move(1); break;
      case "k": case "ArrowUp": move(-1); break;
      case "Home": select(visible()[0] || null); break;
      case "End": var v = visible(); select(v[v.length - 1] || null); break;
      case "Enter": if (current) window.location.href = current.dataset.href; break;
      case "/": filter.focus(); break;
      default: return;
    }
    e.preventDefault();
  });

  applyFilter();
})();
