// Draws the measurement report's charts from the JSON the page carries (#chart-data).
(function () {
  "use strict";
  var holder = document.getElementById("chart-data");
  if (!holder || !window.echarts) { return; }
  var data = JSON.parse(holder.textContent);
  var RED = "#9b1b1f";

  function indexChart(el, d) {
    var chart = echarts.init(el);
    var errors = d.intervals.map(function (iv, i) { return iv ? [i, iv[0], iv[1]] : null; }).filter(Boolean);
    chart.setOption({
      tooltip: { trigger: "axis" },
      grid: { left: 100, right: 30, top: 20, bottom: 30 },
      xAxis: { type: "value", min: 0, max: 100 },
      yAxis: { type: "category", data: d.labels, inverse: true },
      series: [
        { type: "bar", name: d.title, data: d.values.map(function (v) { return Math.round(v * 10) / 10; }),
          itemStyle: { color: RED }, label: { show: true, position: "right", formatter: "{c}" } },
        { type: "custom", name: d.interval_label, data: errors,
          renderItem: function (params, api) {
            var y = api.value(0), lo = api.coord([api.value(1), y]), hi = api.coord([api.value(2), y]);
            var h = api.size([0, 1])[1] * 0.25;
            var style = { stroke: "#222", lineWidth: 1.5 };
            return { type: "group", children: [
              { type: "line", shape: { x1: lo[0], y1: lo[1], x2: hi[0], y2: hi[1] }, style: style },
              { type: "line", shape: { x1: lo[0], y1: lo[1] - h, x2: lo[0], y2: lo[1] + h }, style: style },
              { type: "line", shape: { x1: hi[0], y1: hi[1] - h, x2: hi[0], y2: hi[1] + h }, style: style }
            ] };
          }, encode: { x: [1, 2], y: 0 }, z: 10 }
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
        edgeLabel: { show: true, formatter: function (p) { return p.data.value.toFixed(2); }, backgroundColor: "#fff" },
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

  function ipaChart(el, d) {
    var chart = echarts.init(el);
    var xs = d.points.map(function (p) { return p.importance; });
    var ys = d.points.map(function (p) { return p.performance; });
    var mean = function (a) { return a.reduce(function (s, v) { return s + v; }, 0) / (a.length || 1); };
    chart.setOption({
      tooltip: { formatter: function (p) { return p.data[2] + "<br>" + p.data[0].toFixed(3) + " / " + p.data[1].toFixed(1); } },
      grid: { left: 60, right: 30, top: 20, bottom: 50 },
      xAxis: { type: "value", name: d.x_label, nameLocation: "middle", nameGap: 30, scale: true },
      yAxis: { type: "value", name: d.y_label, nameLocation: "middle", nameGap: 40, scale: true },
      series: [{
        type: "scatter", symbolSize: 14, itemStyle: { color: RED },
        data: d.points.map(function (p) { return [p.importance, p.performance, p.name]; }),
        label: { show: true, position: "right", formatter: function (p) { return p.data[2]; } },
        markLine: { silent: true, symbol: "none", lineStyle: { type: "dashed", color: "#888" },
                    data: [{ xAxis: mean(xs) }, { yAxis: mean(ys) }] }
      }]
    });
    return chart;
  }

  var charts = [];
  var el = document.getElementById("chart-index");
  if (el) { charts.push(indexChart(el, data.index)); }
  el = document.getElementById("chart-paths");
  if (el) { charts.push(pathChart(el, data.paths)); }
  el = document.getElementById("chart-ipa");
  if (el) { charts.push(ipaChart(el, data.ipa)); }
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
