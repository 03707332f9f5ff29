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
