// Turns every <select multiple class="unit-picker"> into a searchable picker (Tom Select).
// Without this file the plain multi-select still works; Tom Select keeps the chosen order
// in the submitted form (drag to reorder), which is the order units are printed in.
(function () {
  "use strict";
  function init() {
    if (typeof window.TomSelect !== "function") { return; }
    document.querySelectorAll("select.unit-picker").forEach(function (el) {
      if (el.tomselect) { return; }
      new window.TomSelect(el, {
        plugins: ["remove_button", "drag_drop"],
        maxOptions: null,
        hideSelected: true,
        closeAfterSelect: true,  // an open list would cover the next field on a phone
        placeholder: el.dataset.placeholder || "输入名称搜索…",
        // Clear the search after each pick, so the next name can be typed straight away.
        onItemAdd: function () {
          this.setTextboxValue("");
          this.refreshOptions(false);
        },
        render: {
          no_results: function () { return '<div class="no-results">没有匹配的单位</div>'; }
        }
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
