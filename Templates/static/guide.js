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

// FAQ answers are closed <details>: open the one a link points at, and open them all for printing.
(function () {
  "use strict";
  function openTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (!id) return;
    var target = document.getElementById(id);
    var details = target && target.closest ? target.closest("details") : null;
    if (details && !details.open) {
      details.open = true;
      target.scrollIntoView();
    }
  }
  window.addEventListener("hashchange", openTarget);
  document.addEventListener("DOMContentLoaded", openTarget);
  var closed = [];
  window.addEventListener("beforeprint", function () {
    closed = Array.prototype.filter.call(document.querySelectorAll("details"), function (d) { return !d.open; });
    closed.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    closed.forEach(function (d) { d.open = false; });
    closed = [];
  });
})();

// "On this page": open beside the text on wide screens, closed under the title on phones;
// the section being read is marked as the reader scrolls.
(function () {
  "use strict";
  var box = document.querySelector(".on-this-page");
  if (!box) return;
  var wide = window.matchMedia("(min-width: 72rem)");
  function fit() { box.open = wide.matches; }
  fit();
  if (wide.addEventListener) wide.addEventListener("change", fit);
  var links = Array.prototype.slice.call(box.querySelectorAll("a"));
  var headings = links.map(function (a) { return document.getElementById(decodeURIComponent(a.hash.slice(1))); });
  function mark() {
    var current = 0;
    headings.forEach(function (h, i) { if (h && h.getBoundingClientRect().top <= 120) current = i; });
    links.forEach(function (a, i) {
      if (i === current) a.setAttribute("aria-current", "true"); else a.removeAttribute("aria-current");
    });
  }
  var pending = false;
  window.addEventListener("scroll", function () {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () { pending = false; mark(); });
  }, { passive: true });
  mark();
})();
