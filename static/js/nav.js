// The main navigation on a phone: folded behind a 菜单 button that names the current page.
// Without this script the links simply wrap (every item stays reachable).
(function () {
  "use strict";
  // The account menu (a <details>): closed by a click elsewhere or Escape, as a menu is expected to.
  var usermenu = document.querySelector(".usermenu");
  if (usermenu) {
    document.addEventListener("click", function (event) {
      if (usermenu.open && !usermenu.contains(event.target)) usermenu.open = false;
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && usermenu.open) {
        usermenu.open = false;
        usermenu.querySelector("summary").focus();
      }
    });
  }
  var button = document.querySelector(".nav-toggle");
  var nav = document.getElementById("mainnav");
  if (!button || !nav) return;
  document.documentElement.classList.add("js-nav");
  button.hidden = false;
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", open ? "true" : "false");
    nav.classList.toggle("open", open);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && nav.classList.contains("open")) {
      button.setAttribute("aria-expanded", "false");
      nav.classList.remove("open");
      button.focus();
    }
  });
})();
