(function () {
  "use strict";
  var SVGNS = "http://www.w3.org/2000/svg";
  var data = JSON.parse(document.getElementById("souverain-data").textContent);
  var t = data.i18n;
  var SEV_RANK = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.setAttribute("class", cls); }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function svg(tag, attrs) {
    var e = document.createElementNS(SVGNS, tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
    return e;
  }
  function pct(v) {
    if (v === null || v === undefined) { return "\u2014"; }
    var r = Math.round(v * 100);
    if (v > 0 && r === 0) { return "<1" + t.percent_sign; }  /* as _view.pct: not nothing, not 0 */
    if (v < 1 && r === 100) { return ">99" + t.percent_sign; }
    return r + t.percent_sign;
  }

  /* ---------------- component table ---------------- */
  var C = data.columns;  /* column names, index = position in each row */
  var rows = data.rows;
  var tbody = document.querySelector("#components tbody");
  var table = document.getElementById("components");
  var filter = document.getElementById("filter");
  var atRisk = document.getElementById("at-risk");
  var openness = document.getElementById("openness");
  var status = document.getElementById("rows-status");
  var sortCol = C.indexOf("share"), sortDir = -1;

  /* openness and jurisdiction are codes in the data, words of the report's language on screen */
  function cellValue(r, i) {
    var v = r[i];
    if (v === null || v === undefined) { return ""; }
    if (C[i] === "openness" || C[i] === "jurisdiction") { return t[C[i] + "_" + v] || v; }
    return v;
  }
  function compare(a, b) {
    var x = a[sortCol], y = b[sortCol];
    if (C[sortCol] === "severity") { x = x === null ? -1 : SEV_RANK[x]; y = y === null ? -1 : SEV_RANK[y]; }
    if (x === null || x === undefined) { return 1; }
    if (y === null || y === undefined) { return -1; }
    if (typeof x === "number" && typeof y === "number") { return (x - y) * sortDir; }
    return String(x).localeCompare(String(y)) * sortDir;
  }
  function renderTable() {
    var q = filter.value.trim().toLowerCase();
    var onlyRisk = atRisk.checked;
    var open = openness.value;
    var matched = rows.filter(function (r) {
      if (onlyRisk && r[C.indexOf("severity")] === null) { return false; }
      if (open && r[C.indexOf("openness")] !== open) { return false; }
      if (!q) { return true; }
      for (var i = 0; i < r.length; i++) {
        if (String(cellValue(r, i)).toLowerCase().indexOf(q) !== -1) { return true; }
      }
      return false;
    });
    matched.sort(compare);
    var shown = matched.slice(0, data.max_rows);
    var frag = document.createDocumentFragment();
    shown.forEach(function (r) {
      var tr = document.createElement("tr");
      data.visible.forEach(function (name) {
        var i = C.indexOf(name), v = r[i], td;
        if (name === "share") { td = el("td", "num", pct(v)); }
        else if (name === "severity") {
          td = el("td");
          if (v) { td.appendChild(el("span", "sev sev-" + v, t["sev_" + v])); }
        } else { td = el("td", null, cellValue(r, i)); }
        tr.appendChild(td);
      });
      frag.appendChild(tr);
    });
    while (tbody.firstChild) { tbody.removeChild(tbody.firstChild); }
    tbody.appendChild(frag);
    table.setAttribute("data-rows", String(shown.length));
    status.textContent = t.rows_shown.replace("{shown}", String(shown.length)).replace("{total}", String(rows.length));
  }
  document.querySelectorAll("#components th").forEach(function (th) {
    th.addEventListener("click", function () {
      var i = C.indexOf(th.getAttribute("data-col"));
      sortDir = i === sortCol ? -sortDir : (th.classList.contains("num") || C[i] === "severity" ? -1 : 1);
      sortCol = i;
      renderTable();
    });
  });
  [filter, atRisk, openness].forEach(function (c) { c.addEventListener("input", renderTable); });
  atRisk.addEventListener("change", renderTable);
  renderTable();

  /* ---------------- dependency graph (layered layout) ---------------- */
  var g = data.graph, box = document.getElementById("graph"), info = document.getElementById("graph-info");
  var nodes = g.nodes, edges = g.edges;
  var layers = [];
  nodes.forEach(function (n, i) { (layers[n.depth] = layers[n.depth] || []).push(i); });
  /* one barycentre pass (parents' order) to reduce crossings */
  var parents = nodes.map(function () { return []; });
  edges.forEach(function (e) { parents[e[1]].push(e[0]); });
  var order = {};
  layers.forEach(function (layer) {
    if (!layer) { return; }
    layer.sort(function (a, b) {
      function bc(i) {
        var p = parents[i].filter(function (j) { return order[j] !== undefined; });
        if (!p.length) { return 0; }
        return p.reduce(function (s, j) { return s + order[j]; }, 0) / p.length;
      }
      return bc(a) - bc(b);
    });
    layer.forEach(function (i, k) { order[i] = k / Math.max(1, layer.length - 1); });
  });
  /* natural size (the container scrolls); a crowded layer is split into side-by-side columns */
  var PER_COL = 24, COLW = 210, SUBW = 180, ROWH = 30, PAD = 24;
  var maxRows = 1;
  layers.forEach(function (layer) {
    if (layer) { maxRows = Math.max(maxRows, Math.ceil(layer.length / Math.ceil(layer.length / PER_COL))); }
  });
  var height = Math.max(160, maxRows * ROWH + 2 * PAD), x = PAD + 6, pos = [];
  layers.forEach(function (layer) {
    if (!layer) { return; }
    var cols = Math.ceil(layer.length / PER_COL), per = Math.ceil(layer.length / cols);
    layer.forEach(function (i, k) {
      var c = Math.floor(k / per), r = k % per, inCol = Math.min(per, layer.length - c * per);
      var gap = (height - 2 * PAD) / inCol;
      pos[i] = { x: x + c * SUBW, y: PAD + gap * (r + 0.5) };
    });
    x += COLW + (cols - 1) * SUBW;
  });
  var width = x + PAD;
  box.setAttribute("width", String(width));
  box.setAttribute("height", String(height));
  box.setAttribute("viewBox", "0 0 " + width + " " + height);
  var edgeLayer = svg("g"), nodeLayer = svg("g");
  box.appendChild(edgeLayer);
  box.appendChild(nodeLayer);
  var edgeEls = edges.map(function (e) {
    var a = pos[e[0]], b = pos[e[1]], mx = (a.x + b.x) / 2;
    var p = svg("path", { "class": "edge", d: "M" + a.x + "," + a.y + " C" + mx + "," + a.y + " " + mx + "," + b.y + " " + b.x + "," + b.y });
    edgeLayer.appendChild(p);
    return p;
  });
  nodes.forEach(function (n, i) {
    var grp = svg("g", { "class": "node n-" + (n.sev || "none"), transform: "translate(" + pos[i].x + "," + pos[i].y + ")", tabindex: "0" });
    grp.appendChild(svg("circle", { r: n.sev && n.sev !== "root" ? 8 : 5 }));
    var label = svg("text", { x: 11, y: 4 });
    label.textContent = n.label.length > 24 ? n.label.slice(0, 23) + "\u2026" : n.label;
    grp.appendChild(label);
    var title = svg("title");
    title.textContent = n.label;
    grp.appendChild(title);
    function show() {
      while (info.firstChild) { info.removeChild(info.firstChild); }
      info.appendChild(el("strong", null, n.label));
      (n.lines || []).forEach(function (line) { info.appendChild(el("div", null, line)); });
      edgeEls.forEach(function (p, k) {
        var on = edges[k][0] === i || edges[k][1] === i;
        p.setAttribute("class", on ? "edge hl" : "edge");
      });
    }
    grp.addEventListener("click", show);
    grp.addEventListener("focus", show);
    nodeLayer.appendChild(grp);
  });
  box.setAttribute("data-nodes", String(nodes.length));
  box.setAttribute("data-edges", String(edges.length));
  document.body.setAttribute("data-rendered", "graph");
})();
