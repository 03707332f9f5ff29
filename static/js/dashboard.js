/* Dashboards: charts from json_script data (ECharts, vendored), filter auto-submit, matrix tooltips, print.
   Every page is complete without this file: the tables under the charts hold the same figures. */
(function () {
  "use strict";
  var COLORS = { green: "#2e8b57", yellow: "#d9a400", red: "#c8302c", grey: "#9aa1ab" };

  function readData(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  var builders = {
    lights: function (d) {
      return {
        tooltip: { trigger: "item", formatter: "{b}：{c} 项（{d}%）" },
        series: [{ type: "pie", radius: ["45%", "72%"], label: { formatter: "{b}\n{c}" },
          data: d.lights.map(function (x) { return { name: x.name, value: x.value, itemStyle: { color: COLORS[x.light] } }; }) }]
      };
    },
    weeks: function (d) {
      // A time axis: weeks without filings leave a gap of the right width instead of being squeezed out.
      function pairs(values) { return d.weeks.map(function (w, i) { return [w, values[i]]; }); }
      return {
        tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v + "%"; } },
        legend: { data: ["累计报送率", "累计完成率"] },
        xAxis: { type: "time", axisLabel: { formatter: "{M}月{d}日", hideOverlap: true } },
        yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
        series: [
          { name: "累计报送率", type: "line", step: "end", data: pairs(d.filed_pct), itemStyle: { color: "#1f5fae" } },
          { name: "累计完成率", type: "line", step: "end", data: pairs(d.done_pct), itemStyle: { color: COLORS.green } }
        ]
      };
    },
    years: function (d) {
      return {
        tooltip: { trigger: "axis" },
        legend: { data: ["报送率", "按时报送率", "完成率"] },
        xAxis: { type: "category", data: d.years },
        yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
        series: [
          { name: "报送率", type: "bar", data: d.year_filed, itemStyle: { color: "#1f5fae" } },
          { name: "按时报送率", type: "bar", data: d.year_on_time, itemStyle: { color: COLORS.yellow } },
          { name: "完成率", type: "bar", data: d.year_done, itemStyle: { color: COLORS.green } }
        ]
      };
    }
  };

  function initCharts() {
    if (!window.echarts) { return; }
    var charts = [];
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var data = readData(el.getAttribute("data-source"));
      var build = builders[el.getAttribute("data-chart")];
      if (!data || !build) { return; }
      var chart = window.echarts.init(el, null, { renderer: "svg" });
      chart.setOption(build(data));
      charts.push(chart);
    });
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  }

  // The filter block is folded into one line on a phone; on a wide screen it starts open.
  function initFold() {
    if (!window.matchMedia("(min-width: 641px)").matches) { return; }
    document.querySelectorAll("details[data-open-wide]").forEach(function (d) { d.open = true; });
  }

  function initFilters() {
    document.querySelectorAll("form[data-autosubmit] select").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
  }

  function initPrint() {
    document.querySelectorAll("[data-print]").forEach(function (btn) {
      btn.hidden = false;
      btn.addEventListener("click", function () { window.print(); });
    });
  }

  // Tap (phones) or hover shows the report summary; the title attribute remains for plain browsers.
  function initMatrixTips() {
    var wrap = document.querySelector(".matrix-wrap");
    if (!wrap) { return; }
    var pop = document.createElement("div");
    pop.className = "tip-pop";
    pop.hidden = true;
    document.body.appendChild(pop);
    function tipOf(cell) {
      // The title attribute carries the summary without JS; move it aside so the browser's own tooltip stays quiet.
      if (cell.hasAttribute("title")) {
        cell.setAttribute("data-tip", cell.getAttribute("title"));
        cell.removeAttribute("title");
      }
      return cell.getAttribute("data-tip");
    }
    function show(cell, x, y) {
      pop.textContent = tipOf(cell);
      pop.hidden = false;
      var left = Math.min(x + 12, window.innerWidth - pop.offsetWidth - 8);
      var top = y + 16 + pop.offsetHeight > window.innerHeight ? y - pop.offsetHeight - 8 : y + 16;
      pop.style.left = Math.max(8, left) + "px";
      pop.style.top = Math.max(8, top) + "px";
    }
    wrap.addEventListener("mouseover", function (e) {
      var cell = e.target.closest("td.cell[title], td.cell[data-tip]");
      if (cell) { show(cell, e.clientX, e.clientY); } else { pop.hidden = true; }
    });
    wrap.addEventListener("mouseleave", function () { pop.hidden = true; });
    wrap.addEventListener("scroll", function () { pop.hidden = true; });
    var tapped = null;
    wrap.addEventListener("touchend", function (e) {
      var cell = e.target.closest("td.cell[title], td.cell[data-tip]");
      if (!cell) { return; }
      if (tapped !== cell) {  // first tap shows the summary, second tap follows the link
        tapped = cell;
        var r = cell.getBoundingClientRect();
        show(cell, r.left, r.bottom);
        e.preventDefault();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    initFold();
    initFilters();
    initPrint();
    initMatrixTips();
    initCharts();
  });
})();
