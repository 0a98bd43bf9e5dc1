/* Draw every [data-chart] element from the ECharts option in the <script type="application/json"> it names. */
(function () {
  "use strict";
  var charts = {};
  function draw(el) {
    var source = document.getElementById(el.dataset.chart);
    if (!source || !window.echarts) { return; }
    var chart = echarts.getInstanceByDom(el) || echarts.init(el, el.dataset.theme === "dark" ? "dark" : null, {renderer: "canvas"});
    chart.setOption(JSON.parse(source.textContent), true);
    charts[el.dataset.chart] = chart;
  }
  function drawAll() { document.querySelectorAll("[data-chart]").forEach(draw); }
  window.dashCharts = {
    get: function (key) { return charts["chart-" + key]; },
    update: function (key, option) { var c = charts["chart-" + key]; if (c) { c.setOption(option, true); } }
  };
  var pending = null;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(function () { Object.keys(charts).forEach(function (k) { charts[k].resize(); }); }, 150);
  });
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", drawAll); } else { drawAll(); }
})();
