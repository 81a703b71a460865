// Draws Kaplan–Meier curves from the embedded JSON and switches the grouping without a reload.
(function () {
  var curves = JSON.parse(document.getElementById("km-data").textContent);
  var canvas = document.getElementById("km-chart");
  var table = document.getElementById("km-at-risk");
  var chart = null;
  function asText(value) {  // a group's label as HTML text
    var span = document.createElement("span");
    span.textContent = value;
    return span.innerHTML;
  }
  function draw(grouping) {
    var chosen = curves.filter(function (c) { return c.group_by === grouping; });
    var labels = chosen.length ? chosen[0].points.map(function (p) { return p.month; }) : [];
    var datasets = chosen.map(function (c) {
      return { label: c.label, stepped: true, fill: false, data: c.points.map(function (p) { return p.survival; }) };
    });
    if (chart) { chart.destroy(); }
    chart = new window.Chart(canvas, { type: "line", data: { labels: labels, datasets: datasets },
      options: { animation: false, maintainAspectRatio: false, scales: { y: { min: 0, max: 1 } } } });
    var rows = ["<tr><th></th>" + labels.map(function (m) { return "<th>" + m + "</th>"; }).join("") + "</tr>"];
    chosen.forEach(function (c) {
      rows.push("<tr><td>" + asText(c.label) + "</td>" + c.points.map(function (p) { return "<td>" + p.at_risk + "</td>"; }).join("") + "</tr>");
    });
    table.innerHTML = rows.join("");
    document.querySelectorAll("[data-km]").forEach(function (b) { b.classList.toggle("active", b.dataset.km === grouping); });
    canvas.dataset.grouping = grouping;
  }
  document.querySelectorAll("[data-km]").forEach(function (button) {
    button.addEventListener("click", function () { draw(button.dataset.km); });
  });
  draw("risk_level");
})();
