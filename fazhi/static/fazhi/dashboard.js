// Monthly trend charts on the township home (ECharts served from /static/vendor/echarts/).
// Each chart reads its points from the json_script next to it; a click opens that month's records.
document.addEventListener("DOMContentLoaded", function () {
  if (!window.echarts) return;
  document.querySelectorAll(".chart[data-metric]").forEach(function (el) {
    var data = JSON.parse(document.getElementById(el.dataset.metric).textContent);
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      grid: { left: 36, right: 12, top: 24, bottom: 24 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: data.map(function (p) { return p.month; }) },
      yAxis: { type: "value", minInterval: 1, name: el.dataset.unit },
      series: [{ type: "bar", name: el.dataset.label, data: data.map(function (p) { return p.value; }) }],
    });
    chart.on("click", function (params) { window.location = data[params.dataIndex].url; });
    window.addEventListener("resize", function () { chart.resize(); });
  });
});
