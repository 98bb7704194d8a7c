// Site-wide keyboard help: "/" focuses the search box from any page.
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    var tag = target && target.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable)) return;
    var box = document.getElementById("search-page-input") || document.getElementById("search-input");
    if (!box) return;
    event.preventDefault();
    box.focus();
  });
})();
