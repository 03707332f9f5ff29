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

// 已完成 means 100 %: the form shows it at once (the server sets it too), and the percent field is locked
// while 已完成 is chosen; choosing another status gives back what was typed before.
(function () {
  "use strict";
  var percent = document.querySelector("input[name=percent]");
  var radios = document.querySelectorAll("input[name=progress]");
  if (!percent || !radios.length) { return; }
  var note = document.createElement("div");
  note.className = "helptext";
  note.id = "id_percent_completed_note";
  note.textContent = "推进状态为“已完成”时，完成进度为 100%。";
  note.hidden = true;
  percent.insertAdjacentElement("afterend", note);
  var typed = percent.value;
  function update() {
    var checked = document.querySelector("input[name=progress]:checked");
    var completed = checked && checked.value === "completed";
    if (completed) {
      if (!percent.readOnly) { typed = percent.value; }
      percent.value = "100";
      percent.readOnly = true;
      percent.setAttribute("aria-describedby", note.id);
    } else if (percent.readOnly) {
      percent.readOnly = false;
      percent.value = typed;
      percent.removeAttribute("aria-describedby");
    }
    note.hidden = !completed;
  }
  radios.forEach(function (radio) { radio.addEventListener("change", update); });
  update();
})();
