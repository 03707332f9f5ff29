// Adds rows to the key-figures formset. Without JavaScript the form shows a few empty rows instead.
(function () {
  "use strict";
  document.querySelectorAll("[data-add-figure]").forEach(function (button) {
    var fieldset = button.closest("fieldset");
    var rows = fieldset.querySelector(".figure-rows");
    var prefix = rows.getAttribute("data-formset-prefix");
    var total = fieldset.querySelector("#id_" + prefix + "-TOTAL_FORMS");
    var template = fieldset.querySelector("#figure-template");
    button.hidden = false;
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      rows.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      var first = rows.lastElementChild.querySelector("input");
      if (first) { first.focus(); }
    });
  });
})();

// Shows the "reason" field only when 未能按期完成 is chosen; without JavaScript it is always shown.
(function () {
  "use strict";
  var radios = document.querySelectorAll("input[name=progress]");
  var blocks = document.querySelectorAll("[data-show-when-progress]");
  if (!radios.length || !blocks.length) { return; }
  function update() {
    var checked = document.querySelector("input[name=progress]:checked");
    var value = checked ? checked.value : "";
    blocks.forEach(function (block) {
      var hasError = block.querySelector(".errorlist");
      block.hidden = !hasError && block.getAttribute("data-show-when-progress") !== value;
    });
  }
  radios.forEach(function (radio) { radio.addEventListener("change", update); });
  update();
})();
