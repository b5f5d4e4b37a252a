/* newsgraph pages: highlight toggles, and charts drawn with plotly.js (served from the
   installed plotly package) from the JSON the page embeds — the same JSON the API returns. */
(function () {
  "use strict";

  function toggles() {
    document.querySelectorAll("input[data-toggle]").forEach(function (box) {
      box.addEventListener("change", function () {
        document.body.classList.toggle("hide-" + box.dataset.toggle, !box.checked);
      });
    });
  }

  function timeline(data) {
    var months = data.months.map(function (m) { return m.month; });
    var traces = [{ type: "bar", name: "quotes", x: months, y: data.months.map(function (m) { return m.quotes; }) }];
    var byTechnique = {};
    data.techniques.forEach(function (t) {
      (byTechnique[t.technique] = byTechnique[t.technique] || {})[t.month] = t.count;
    });
    Object.keys(byTechnique).forEach(function (name) {
      traces.push({ type: "scatter", mode: "lines+markers", name: name, x: months, yaxis: "y",
                    y: months.map(function (m) { return byTechnique[name][m] || 0; }) });
    });
    return { traces: traces, layout: { barmode: "group", xaxis: { type: "category" }, yaxis: { title: "per month" } } };
  }

  function trends(data) {
    var traces = Object.keys(data.series).map(function (type) {
      return { type: "scatter", mode: "lines+markers", name: type, x: data.months, y: data.series[type] };
    });
    return { traces: traces, layout: { yaxis: { title: "events per month" } } };
  }

  /* A small force-directed layout (Fruchterman & Reingold 1991) for the actor network. */
  function layout(nodes, edges) {
    var n = nodes.length, pos = {}, k = 1 / Math.sqrt(Math.max(n, 1));
    nodes.forEach(function (node, i) {
      var a = 2 * Math.PI * i / Math.max(n, 1);
      pos[node.id] = { x: Math.cos(a), y: Math.sin(a), dx: 0, dy: 0 };
    });
    for (var step = 0, t = 0.1; step < 150; step++, t *= 0.97) {
      nodes.forEach(function (a) {
        var p = pos[a.id]; p.dx = 0; p.dy = 0;
        nodes.forEach(function (b) {
          if (a === b) { return; }
          var q = pos[b.id], dx = p.x - q.x, dy = p.y - q.y, d = Math.sqrt(dx * dx + dy * dy) || 1e-3;
          p.dx += dx / d * k * k / d; p.dy += dy / d * k * k / d;
        });
      });
      edges.forEach(function (e) {
        var p = pos[e.source], q = pos[e.target], dx = p.x - q.x, dy = p.y - q.y;
        var d = Math.sqrt(dx * dx + dy * dy) || 1e-3, f = d * d / k;
        p.dx -= dx / d * f; p.dy -= dy / d * f; q.dx += dx / d * f; q.dy += dy / d * f;
      });
      nodes.forEach(function (a) {
        var p = pos[a.id];
        p.dx -= p.x * 2 * k; p.dy -= p.y * 2 * k;  /* gravity keeps separate groups in view */
        var d = Math.sqrt(p.dx * p.dx + p.dy * p.dy) || 1e-3;
        p.x += p.dx / d * Math.min(d, t); p.y += p.dy / d * Math.min(d, t);
      });
    }
    return pos;
  }

  function network(data) {
    var pos = layout(data.nodes, data.edges), degree = {}, ex = [], ey = [], mx = [], my = [], mt = [];
    data.edges.forEach(function (e) {
      var a = pos[e.source], b = pos[e.target];
      ex.push(a.x, b.x, null); ey.push(a.y, b.y, null);
      mx.push(a.x * 0.4 + b.x * 0.6); my.push(a.y * 0.4 + b.y * 0.6);
      mt.push(e.count + " × " + e.types.join(", "));
      degree[e.source] = (degree[e.source] || 0) + e.count;
      degree[e.target] = (degree[e.target] || 0) + e.count;
    });
    var traces = [
      { type: "scatter", mode: "lines", x: ex, y: ey, line: { width: 1, color: "#9aa5b1" }, hoverinfo: "none", name: "acts on" },
      { type: "scatter", mode: "markers", x: mx, y: my, text: mt, hoverinfo: "text", marker: { symbol: "triangle-right", size: 7, color: "#9aa5b1" }, name: "events" },
      { type: "scatter", mode: "markers+text", textposition: "top center", name: "actors",
        x: data.nodes.map(function (d) { return pos[d.id].x; }), y: data.nodes.map(function (d) { return pos[d.id].y; }),
        text: data.nodes.map(function (d) { return d.name; }),
        customdata: data.nodes.map(function (d) { return d.id; }),
        marker: { size: data.nodes.map(function (d) { return 8 + 3 * Math.sqrt(degree[d.id] || 1); }), color: "#1f5f99" } }
    ];
    var axis = { visible: false, zeroline: false, showgrid: false };
    return { traces: traces, layout: { showlegend: false, xaxis: axis, yaxis: axis }, click: true };
  }

  var charts = { timeline: timeline, trends: trends, network: network };

  function draw() {
    var el = document.getElementById("chart"), src = document.getElementById("chart-data");
    if (!el || !src) { return; }
    if (typeof Plotly === "undefined") {
      el.innerHTML = "<p class='no-chart'>Charts need plotly.js from the installed plotly package.</p>";
      return;
    }
    var spec = charts[el.dataset.chart](JSON.parse(src.textContent));
    spec.layout.margin = { t: 20, r: 10, b: 40, l: 50 };
    Plotly.newPlot(el, spec.traces, spec.layout, { displaylogo: false, responsive: true }).then(function () {
      el.dataset.drawn = "true";
    });
    if (spec.click) {
      el.on("plotly_click", function (ev) {
        var id = ev.points[0].customdata;
        if (id !== undefined) { window.location.href = "/entities/" + id; }
      });
    }
  }

  window.newsgraph = { draw: draw };
  document.addEventListener("DOMContentLoaded", toggles);
}());
