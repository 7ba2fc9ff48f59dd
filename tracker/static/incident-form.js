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
    var typed = box.querySelector(".picker-typed");
    var list = box.querySelector(".suggestions");
    var remember = box.querySelector(".remember");
    if (!input || !hidden || !list) { return; }
    var items = [];
    var active = -1;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      Array.prototype.forEach.call(options, function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
      }
    }

    function pick(item) {
      var text = input.value.trim();
      if (typed) { typed.value = text !== item.label ? text : ""; }
      if (remember) {
        remember.hidden = !(typed && typed.value);
        var shown = remember.querySelector(".typed-text");
        if (shown) { shown.textContent = typed ? typed.value : ""; }
      }
      input.value = item.label;
      hidden.value = String(item.id);
      close();
    }

    function show(found) {
      items = found;
      list.textContent = "";
      if (!items.length) { close(); return; }
      if (items[0].guess) {
        var title = document.createElement("li");
        title.className = "guess-title";
        title.setAttribute("role", "presentation");
        title.textContent = box.dataset.guessTitle + "…";
        list.appendChild(title);
      }
      items.forEach(function (item, index) {
        var option = document.createElement("li");
        option.setAttribute("role", "option");
        option.id = input.id + "-option-" + index;
        var label = document.createElement("bdi");
        label.textContent = item.label;
        option.appendChild(label);
        if (item.hint) {
          var hint = document.createElement("small");
          hint.textContent = " " + item.hint;
          option.appendChild(hint);
        }
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          pick(item);
        });
        list.appendChild(option);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      highlight(-1);
    }

    var search = debounce(function (text) {
      var url = box.dataset.lookup + "?q=" + encodeURIComponent(text);
      getJSON(url).then(function (found) {
        if (input.value.trim() === text) { show(found); }
      });
    }, 150);

    input.addEventListener("input", function () {
      hidden.value = "";
      if (typed) { typed.value = ""; }
      if (remember) { remember.hidden = true; }
      var text = input.value.trim();
      if (text.length >= 2) { search(text); } else { close(); }
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden || !items.length) { return; }
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight(Math.min(active + 1, items.length - 1));
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(Math.max(active - 1, 0));
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        pick(items[active]);
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", close);
  }

  function setUpProvisions(form) {
    var select = form.querySelector(".agreement-select");
    var box = form.querySelector("#provisions");
    var button = form.querySelector(".update-provisions");
    if (!select || !box) { return; }
    if (button) { button.hidden = true; }
    var label = box.querySelector(".label");
    select.addEventListener("change", function () {
      var chosen = select.value;
      var url = form.dataset.provisionsUrl + "?agreement=" + encodeURIComponent(chosen);
      getJSON(url).then(function (items) {
        // a late answer for an agreement chosen before does not replace the current one's list
        if (select.value !== chosen) { return; }
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
