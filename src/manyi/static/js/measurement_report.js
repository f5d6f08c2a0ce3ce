// Draws the measurement report's charts from the JSON the page carries (#chart-data).
(function () {
  "use strict";
  var holder = document.getElementById("chart-data");
  if (!holder || !window.echarts) { return; }
  var data = JSON.parse(holder.textContent);
  var RED = "#9b1b1f";
  var one = function (v) { return (Math.round(v * 10) / 10).toFixed(1); };

  // Bars with their 95% whiskers; each value is written past the whisker's end, so the two
  // never collide.
  function indexChart(el, d) {
    var chart = echarts.init(el);
    var marks = d.values.map(function (v, i) {
      var iv = d.intervals[i];
      return iv ? [i, iv[0], iv[1], v] : [i, v, v, v];
    });
    chart.setOption({
      tooltip: { trigger: "axis" },
      grid: { left: 10, right: 40, top: 20, bottom: 30, containLabel: true },
      xAxis: { type: "value", min: 0, max: 100 },
      yAxis: { type: "category", data: d.labels, inverse: true },
      series: [
        { type: "bar", name: d.title, data: d.values.map(function (v) { return Math.round(v * 10) / 10; }),
          itemStyle: { color: RED }, label: { show: false } },
        { type: "custom", name: d.interval_label, data: marks, z: 10,
          renderItem: function (params, api) {
            var y = api.value(0), lo = api.coord([api.value(1), y]), hi = api.coord([api.value(2), y]);
            var end = api.coord([api.value(3), y]);
            var h = api.size([0, 1])[1] * 0.25;
            var style = { stroke: "#222", lineWidth: 1.5 };
            var children = [{ type: "text", style: { text: one(api.value(3)), x: Math.max(hi[0], end[0]) + 6, y: hi[1],
                                                       verticalAlign: "middle", fontWeight: "bold", fill: "#222" } }];
            if (api.value(1) !== api.value(2)) {
              children.push(
                { type: "line", shape: { x1: lo[0], y1: lo[1], x2: hi[0], y2: hi[1] }, style: style },
                { type: "line", shape: { x1: lo[0], y1: lo[1] - h, x2: lo[0], y2: lo[1] + h }, style: style },
                { type: "line", shape: { x1: hi[0], y1: hi[1] - h, x2: hi[0], y2: hi[1] + h }, style: style });
            }
            return { type: "group", children: children };
          }, encode: { x: [1, 2], y: 0 } }
      ]
    });
    return chart;
  }

  function pathChart(el, d) {
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: {},
      series: [{
        type: "graph", layout: "none", roam: false, symbol: "roundRect", symbolSize: [104, 44], symbolKeepAspect: false,
        left: 70, right: 70, top: 40, bottom: 40,
        label: { show: true, formatter: function (p) { return p.data.name + (p.data.r2 != null ? "\nR²=" + p.data.r2.toFixed(2) : ""); } },
        itemStyle: { color: "#fbeaea", borderColor: RED, borderWidth: 1.5 },
        edgeSymbol: ["none", "arrow"], edgeSymbolSize: 10,
        edgeLabel: { show: true, formatter: function (p) { return p.data.value != null ? p.data.value.toFixed(2) : "—"; }, backgroundColor: "#fff" },
        lineStyle: { color: "#333", width: 1.5 },
        data: d.nodes.map(function (n) { return { name: n.name, x: n.x * 1000, y: n.y * 600, r2: n.r2 }; }),
        links: d.links.map(function (l) {
          return { source: l.source, target: l.target, value: l.value,
                   lineStyle: { type: l.significant === false ? "dashed" : "solid", width: 1 + 3 * Math.abs(l.value), curveness: l.curve } };
        })
      }]
    });
    return chart;
  }

  // Importance–performance at one level ("constructs" or "indicators"). The axes come from
  // the server (padded, never a sliver of a range); a name sits on the side of its point away
  // from the vertical mean line and is moved, not hidden, when names would overlap.
  var IPA_GRID = { left: 70, right: 30, top: 20, bottom: 60 };

  function ipaOption(d, level, box) {
    var set = d[level];
    var mx = set.mean_importance, my = set.mean_performance;
    return {
      // A point is an object ({value, label}): its numbers are p.value, not p.data. The tooltip
      // is HTML and the name comes from the uploaded data dictionary: escaped.
      tooltip: { formatter: function (p) {
        return echarts.format.encodeHTML(p.value[2]) + "<br>" + p.value[0].toFixed(3) + " / " + p.value[1].toFixed(1);
      } },
      grid: IPA_GRID,
      xAxis: { type: "value", name: d.x_label, nameLocation: "middle", nameGap: 32, min: set.axes.x[0], max: set.axes.x[1] },
      yAxis: { type: "value", name: d.y_label, nameLocation: "middle", nameGap: 40, min: set.axes.y[0], max: set.axes.y[1] },
      series: [{
        // The mean lines sit in a series of their own, drawn under the points' names (a line
        // through a name makes it hard to read).
        type: "scatter", data: [], z: 1, silent: true,
        markLine: { silent: true, symbol: "none", label: { show: false }, lineStyle: { type: "dashed", color: "#888" },
                    data: [{ xAxis: mx }, { yAxis: my }] }
      }, {
        type: "scatter", z: 5, symbolSize: 12, itemStyle: { color: RED },
        data: set.points.map(function (p) {
          return { value: [p.importance, p.performance, p.name],
                   label: { position: p.importance >= mx ? "right" : "left" } };
        }),
        label: { show: true, formatter: function (p) { return p.data.value[2]; }, backgroundColor: "rgba(255,255,255,0.85)", padding: [1, 2] },
        // A name moved off its point keeps a thin line to it.
        labelLine: { show: true, lineStyle: { color: "#999", width: 0.8 } },
        labelLayout: function (params) {
          // Keep every name inside the plotting area: flip it to the point's other side
          // when it would run past an edge.
          var r = params.labelRect, point = params.rect, x = r.x, y = r.y;
          if (x + r.width > box.x + box.width) { x = point.x - r.width - 4; }
          if (x < box.x) { x = point.x + point.width + 4; }
          y = Math.min(Math.max(y, box.y), box.y + box.height - r.height);
          return { x: x, y: y, align: "left", verticalAlign: "top", moveOverlap: "shiftY", hideOverlap: false };
        }
      }]
    };
  }
  function ipaChart(el, d) {
    var chart = echarts.init(el);
    function draw(level) {
      var box = { x: IPA_GRID.left, y: IPA_GRID.top,
                  width: el.clientWidth - IPA_GRID.left - IPA_GRID.right,
                  height: el.clientHeight - IPA_GRID.top - IPA_GRID.bottom };
      chart.setOption(ipaOption(d, level, box), true);
      document.querySelectorAll("[data-ipa-level]").forEach(function (b) {
        var on = b.getAttribute("data-ipa-level") === level;
        b.classList.toggle("active", on);
        b.setAttribute("aria-pressed", on ? "true" : "false");
      });
    }
    document.querySelectorAll("[data-ipa-level]").forEach(function (b) {
      b.addEventListener("click", function () { draw(b.getAttribute("data-ipa-level")); });
    });
    draw("constructs");
    return chart;
  }

  function trendChart(el, d) {
    var chart = echarts.init(el);
    var whiskers = d.intervals.map(function (iv, i) { return iv ? [i, iv[0], iv[1]] : null; }).filter(Boolean);
    var all = d.values.concat.apply(d.values, d.intervals.filter(Boolean));
    chart.setOption({
      tooltip: { trigger: "axis" },
      grid: { left: 50, right: 30, top: 20, bottom: 30 },
      xAxis: { type: "category", data: d.labels },
      yAxis: { type: "value", min: Math.max(0, Math.floor((Math.min.apply(null, all) - 3) / 5) * 5),
               max: Math.min(100, Math.ceil((Math.max.apply(null, all) + 3) / 5) * 5) },
      series: [
        { type: "line", name: d.name, data: d.values.map(function (v) { return Math.round(v * 10) / 10; }),
          itemStyle: { color: RED }, lineStyle: { color: RED, width: 2 },
          label: { show: true, position: "right", distance: 8, formatter: "{c}" } },
        { type: "custom", data: whiskers, z: 1, encode: { x: 0, y: [1, 2] },
          renderItem: function (params, api) {
            var lo = api.coord([api.value(0), api.value(1)]), hi = api.coord([api.value(0), api.value(2)]);
            var style = { stroke: "#555", lineWidth: 1 };
            return { type: "group", children: [
              { type: "line", shape: { x1: lo[0], y1: lo[1], x2: hi[0], y2: hi[1] }, style: style },
              { type: "line", shape: { x1: lo[0] - 4, y1: lo[1], x2: lo[0] + 4, y2: lo[1] }, style: style },
              { type: "line", shape: { x1: hi[0] - 4, y1: hi[1], x2: hi[0] + 4, y2: hi[1] }, style: style }
            ] };
          } }
      ]
    });
    return chart;
  }

  var charts = [];
  var el = document.getElementById("chart-index");
  if (el) { charts.push(indexChart(el, data.index)); }
  el = document.getElementById("chart-paths");
  if (el) { charts.push(pathChart(el, data.paths)); }
  el = document.getElementById("chart-ipa");
  if (el && data.ipa) { charts.push(ipaChart(el, data.ipa)); }
  el = document.getElementById("chart-trend");
  if (el && data.trend) { charts.push(trendChart(el, data.trend)); }
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
