/* Dashboards: draws the charts from the numbers the page carries (json_script) and switches each card between its
 * chart and its table. Without JavaScript the tables show. Filters apply with their own button, never on change
 * (a select that reloads the page as it is scrolled with the keyboard loses its user). Chart.js 4 is vendored in
 * static/vendor/chartjs. */
(function () {
  "use strict";

  var lang = document.documentElement.lang || "vi";
  var locale = lang === "vi" ? "vi-VN" : "en-GB";
  var numberFormat = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  var narrow = window.matchMedia("(max-width: 575.98px)");

  function fmt(value, percent) {
    if (value === null || value === undefined) return "—";
    return numberFormat.format(value) + (percent ? "%" : "");
  }

  // Long labels on several lines, shorter on a phone.
  function wrap(label) {
    var width = narrow.matches ? 16 : 30;
    var words = String(label).split(" ");
    var lines = [];
    var line = "";
    words.forEach(function (word) {
      if (line && (line + " " + word).length > width) {
        lines.push(line);
        line = word;
      } else {
        line = line ? line + " " + word : word;
      }
    });
    if (line) lines.push(line);
    if (lines.length > 3) {
      lines = lines.slice(0, 3);
      lines[2] += "…";
    }
    return lines;
  }

  // Writes each bar's value at its end, so the chart reads without hovering (not for stacked bars).
  var valueLabels = {
    id: "valueLabels",
    afterDatasetsDraw: function (chart, args, options) {
      if (!options || !options.enabled) return;
      var ctx = chart.ctx;
      ctx.save();
      ctx.font = "12px system-ui, sans-serif";
      ctx.fillStyle = "#212529";
      var horizontal = chart.options.indexAxis === "y";
      chart.data.datasets.forEach(function (dataset, i) {
        var meta = chart.getDatasetMeta(i);
        if (meta.hidden || meta.type !== "bar") return;
        meta.data.forEach(function (bar, j) {
          var value = dataset.data[j];
          if (value === null || value === undefined) return;
          var text = fmt(value, options.percent);
          if (horizontal) {
            ctx.textAlign = "left";
            ctx.textBaseline = "middle";
            ctx.fillText(text, bar.x + 4, bar.y);
          } else {
            ctx.textAlign = "center";
            ctx.textBaseline = "bottom";
            ctx.fillText(text, bar.x, bar.y - 2);
          }
        });
      });
      ctx.restore();
    },
  };

  // A dashed line at 100% of the target.
  var targetLine = {
    id: "targetLine",
    afterDatasetsDraw: function (chart, args, options) {
      if (!options || options.value === undefined || options.value === null) return;
      var scale = chart.scales[chart.options.indexAxis === "y" ? "x" : "y"];
      var at = scale.getPixelForValue(options.value);
      var area = chart.chartArea;
      var ctx = chart.ctx;
      ctx.save();
      ctx.strokeStyle = "#343a40";
      ctx.setLineDash([5, 4]);
      ctx.beginPath();
      if (chart.options.indexAxis === "y") {
        ctx.moveTo(at, area.top);
        ctx.lineTo(at, area.bottom);
      } else {
        ctx.moveTo(area.left, at);
        ctx.lineTo(area.right, at);
      }
      ctx.stroke();
      ctx.restore();
    },
  };

  function barConfig(data) {
    var horizontal = !!data.horizontal;
    var stacked = !!data.stacked;
    var valueAxis = horizontal ? "x" : "y";
    var datasets = data.datasets.map(function (ds) {
      var colour = ds.colors || ds.color;
      return {
        label: ds.label,
        data: ds.data,
        type: ds.line ? "line" : "bar",
        backgroundColor: colour,
        borderColor: colour,
        borderWidth: ds.line ? 2 : 0,
        borderDash: ds.line ? [6, 4] : undefined,
        pointStyle: ds.line ? "rectRot" : undefined,
        pointRadius: ds.line ? 5 : undefined,
        spanGaps: true,
        maxBarThickness: 48,
      };
    });
    var scales = {};
    scales[valueAxis] = {
      beginAtZero: true,
      stacked: stacked,
      suggestedMax: data.percent ? 100 : undefined,
      max: data.max,
      ticks: {
        callback: function (value) {
          return fmt(value, data.percent);
        },
        precision: 0,
      },
      grace: stacked || data.max ? 0 : "8%",
    };
    scales[horizontal ? "y" : "x"] = {
      stacked: stacked,
      ticks: {
        autoSkip: false,
        callback: function (value) {
          return wrap(this.getLabelForValue(value));
        },
      },
    };
    return {
      type: "bar",
      data: { labels: data.labels, datasets: datasets },
      options: {
        indexAxis: horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        locale: locale,
        layout: { padding: { top: 18, right: horizontal && !stacked ? 36 : 8 } },
        scales: scales,
        plugins: {
          legend: { display: datasets.length > 1, position: "bottom", labels: { boxWidth: 14 } },
          tooltip: {
            callbacks: {
              title: function (items) {
                var i = items[0].dataIndex;
                return data.titles ? data.titles[i] : items[0].label;
              },
              label: function (item) {
                var counts = data.datasets[item.datasetIndex].counts;
                if (counts) return item.dataset.label + ": " + fmt(counts[item.dataIndex]) + " (" + fmt(item.raw, true) + ")";
                return item.dataset.label + ": " + fmt(item.raw, data.percent);
              },
              afterLabel: function (item) {
                return data.notes ? data.notes[item.dataIndex] : "";
              },
            },
          },
          valueLabels: { enabled: !stacked, percent: !!data.percent },
          targetLine: { value: data.targetLine },
        },
      },
      plugins: [valueLabels, targetLine],
    };
  }

  function drawChart(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof Chart === "undefined") return null;
    var data = JSON.parse(source.textContent);
    if (data.kind === "indicatorTrend") return drawIndicatorTrend(canvas, data);
    if (!data.labels.length) return null;
    return new Chart(canvas, barConfig(data));
  }

  // One indicator at a time (units differ): its total each year as bars, its target as a dashed line.
  function drawIndicatorTrend(canvas, data) {
    var picker = document.querySelector('[data-chart-picker="' + canvas.dataset.chart + '"]');
    if (!data.indicators.length) return null;
    data.indicators.forEach(function (indicator, i) {
      var option = document.createElement("option");
      option.value = String(i);
      option.textContent = indicator.name;
      picker.appendChild(option);
    });
    var chart = null;
    function show(i) {
      var indicator = data.indicators[i];
      var config = barConfig({ labels: data.labels, datasets: indicator.datasets });
      config.options.plugins.valueLabels = { enabled: true };
      if (chart) chart.destroy();
      chart = new Chart(canvas, config);
    }
    picker.addEventListener("change", function () {
      show(Number(picker.value));
    });
    show(0);
    return chart;
  }

  function setupCard(card) {
    var button = card.querySelector("[data-toggle-view]");
    var chartView = card.querySelector(".chart-view, .heatmap-wrap");
    var tableView = card.querySelector(".table-view");
    if (!chartView || !tableView) return;
    var canvas = chartView.querySelector("canvas[data-chart]");
    // The box's height comes as data: the Content-Security-Policy refuses style attributes, not styles set here.
    var box = chartView.querySelector(".chart-box[data-height]");
    if (box) box.style.height = box.dataset.height;
    chartView.hidden = false;
    if (canvas) {
      var chart = null;
      try {
        chart = drawChart(canvas);
      } catch (error) {
        if (window.console) console.error(error);
      }
      if (!chart) {
        // Nothing to draw (or it could not be drawn): the table stays in view, and says so when it is empty.
        chartView.hidden = true;
        return;
      }
    }
    tableView.hidden = true;
    if (!button) return;
    var label = button.querySelector("span");
    // The button's name says what it will show; no pressed state on top of a changing name.
    button.hidden = false;
    button.addEventListener("click", function () {
      var showTable = tableView.hidden;
      tableView.hidden = !showTable;
      chartView.hidden = showTable;
      label.textContent = showTable ? button.dataset.labelChart : button.dataset.labelTable;
      button.querySelector("i").className = "bi " + (showTable ? "bi-bar-chart" : "bi-table");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-chart-card]").forEach(setupCard);
  });
})();
