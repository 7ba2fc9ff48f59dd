// Incident form helpers: name suggestions for the pickers and the provisions of the chosen
// agreement. The form works without this script; it only saves round trips to the server.
(function () {
  "use strict";

  function debounce(fn, wait) {
    var timer = null;
    return function () {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(null, args); }, wait);
    };
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : []; })
      .catch(function () { return []; });
  }

  function setUpPicker(box) {
    var input = box.querySelector(".picker-text");
    var hidden = box.querySelector(".picker-id");
    var list = box.querySelector("datalist");
    if (!input || !hidden || !list) { return; }
    var known = {};

    function remember(items) {
      known = {};
      list.textContent = "";
      items.forEach(function (item) {
        var option = document.createElement("option");
        option.value = item.label;
        if (item.hint) { option.label = item.hint; }
        list.appendChild(option);
        if (!(item.label in known)) { known[item.label] = String(item.id); }
      });
    }

    var search = debounce(function (text) {
      var url = box.dataset.lookup + "?q=" + encodeURIComponent(text);
      getJSON(url).then(function (items) {
        if (input.value.trim() === text) { remember(items); match(); }
      });
    }, 200);

    function match() {
      var id = known[input.value];
      hidden.value = id || "";
    }

    input.addEventListener("input", function () {
      match();
      var text = input.value.trim();
      if (text.length >= 2) { search(text); }
    });
    input.addEventListener("change", match);
  }

  function setUpProvisions(form) {
    var select = form.querySelector(".agreement-select");
    var box = form.querySelector("#provisions");
    var button = form.querySelector(".update-provisions");
    if (!select || !box) { return; }
    if (button) { button.hidden = true; }
    var label = box.querySelector(".label");
    select.addEventListener("change", function () {
      var url = form.dataset.provisionsUrl + "?agreement=" + encodeURIComponent(select.value);
      getJSON(url).then(function (items) {
        Array.prototype.slice.call(box.children).forEach(function (child) {
          if (child !== label) { box.removeChild(child); }
        });
        var ul = document.createElement("ul");
        ul.id = "provision_ids";
        items.forEach(function (item, index) {
          var li = document.createElement("li");
          var checkbox = document.createElement("input");
          checkbox.type = "checkbox";
          checkbox.name = "provision_ids";
          checkbox.value = String(item.id);
          checkbox.id = "provision_ids-" + index;
          var text = document.createElement("label");
          text.htmlFor = checkbox.id;
          text.textContent = item.label;
          li.appendChild(checkbox);
          li.appendChild(text);
          ul.appendChild(li);
        });
        box.appendChild(ul);
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form.incident-form");
    if (!form) { return; }
    Array.prototype.forEach.call(form.querySelectorAll(".picker[data-lookup]"), setUpPicker);
    setUpProvisions(form);
  });
})();
