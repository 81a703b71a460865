// Draws the office trend charts from the JSON the page embeds (no data is fetched).
(function () {
  var data = JSON.parse(document.getElementById("trend-data").textContent);
  function bar(id, datasets, stacked) {
    var canvas = document.getElementById(id);
    if (!canvas || !window.Chart) { return; }
    new window.Chart(canvas, {
      type: "bar",
      data: { labels: data.labels, datasets: datasets },
      options: { responsive: true, maintainAspectRatio: false, animation: false, scales: { x: { stacked: !!stacked }, y: { stacked: !!stacked, beginAtZero: true } } }
    });
  }
  var closures = Object.keys(data.closures).map(function (name) { return { label: name, data: data.closures[name], stack: "closed" }; });
  bar("chart-flow", [{ label: data.names.intakes, data: data.intakes, stack: "in" }].concat(closures), true);
  bar("chart-contacts", [
    { label: data.names.contacts_done, data: data.contacts_done },
    { label: data.names.contacts_required, data: data.contacts_required }
  ]);
  bar("chart-other", [
    { label: data.names.revocation_proposals, data: data.revocation_proposals },
    { label: data.names.assessments_done, data: data.assessments_done }
  ]);
  window.trendChartsReady = true;
})();
