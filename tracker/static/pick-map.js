// The map a new place's point is picked on: a click fills the latitude and longitude fields and
// zooms in around the point; typing coordinates moves the cross. Without this script the
// fields are typed as before.
(function () {
  "use strict";

  var MAX_ZOOM = 6;

  function setUp(box) {
    var latField = document.getElementById(box.dataset.lat);
    var lonField = document.getElementById(box.dataset.lon);
    var holder = box.querySelector(".pick-map-picture");
    if (!latField || !lonField || !holder) { return; }
    var zoom = 0;
    var asked = 0;

    function number(field) {
      var value = parseFloat(field.value);
      return isFinite(value) ? value : null;
    }

    function load() {
      var url = box.dataset.mapUrl + "?zoom=" + zoom;
      var lat = number(latField);
      var lon = number(lonField);
      if (lat !== null && lon !== null) {
        url += "&lat=" + encodeURIComponent(lat) + "&lon=" + encodeURIComponent(lon);
      }
      asked += 1;
      var ask = asked;
      fetch(url, { credentials: "same-origin" })
        .then(function (response) { return response.status === 200 ? response.text() : ""; })
        .then(function (text) {
          // answers can arrive out of order: only the latest question's picture is drawn
          if (!text || ask !== asked) { return; }
          var svg = new DOMParser().parseFromString(text, "image/svg+xml").documentElement;
          if (svg.nodeName !== "svg") { return; }
          holder.textContent = "";
          holder.appendChild(document.importNode(svg, true));
          box.hidden = false;
        })
        .catch(function () { return null; });
    }

    holder.addEventListener("click", function (event) {
      var svg = holder.querySelector("svg");
      if (!svg) { return; }
      var rect = svg.getBoundingClientRect();
      var view = svg.viewBox.baseVal;
      var x = (event.clientX - rect.left) * view.width / rect.width;
      var y = (event.clientY - rect.top) * view.height / rect.height;
      var scale = parseFloat(svg.dataset.scale);
      var lon = parseFloat(svg.dataset.west) + x / scale;
      var northing = parseFloat(svg.dataset.north) - y / scale;
      var lat = (2 * Math.atan(Math.exp(northing * Math.PI / 180)) - Math.PI / 2) * 180 / Math.PI;
      lonField.value = lon.toFixed(5);
      latField.value = lat.toFixed(5);
      zoom = Math.min(zoom + 1, MAX_ZOOM);
      load();
    });
    box.querySelector(".zoom-out").addEventListener("click", function () {
      zoom = Math.max(zoom - 1, 0);
      load();
    });
    [latField, lonField].forEach(function (field) {
      field.addEventListener("change", load);
    });
    load();
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll(".pick-map[data-map-url]"), setUp);
  });
})();
