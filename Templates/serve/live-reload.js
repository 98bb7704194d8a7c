// Live reload for `guide serve` only: the server adds this script to the pages it serves
// (a built site never has it). It listens to the server's event stream: after a good
// rebuild the page reloads where the reader was; after a failed one the problems are shown
// over the last good page until they are fixed.
(function () {
  "use strict";
  var key = "guide-serve-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    window.addEventListener("load", function () { window.scrollTo(0, Number(saved)); });
  }

  var overlay = null;
  function showProblems(lines) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "guide-serve-problems";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;" +
        "background:#fff3f3;color:#1a1a1a;border-top:4px solid #b00020;padding:1rem 1.25rem;" +
        "font:15px/1.5 ui-monospace,monospace;box-shadow:0 -4px 16px rgba(0,0,0,.25)";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "";
    var title = document.createElement("p");
    title.style.cssText = "margin:0 0 .5rem;font-weight:bold;font-family:system-ui,sans-serif";
    title.textContent = "The site was not rebuilt. Fix these, and this page reloads by itself:";
    overlay.appendChild(title);
    var list = document.createElement("ul");
    list.style.cssText = "margin:0;padding-left:1.25rem";
    lines.forEach(function (line) {
      var item = document.createElement("li");
      item.textContent = line;
      list.appendChild(item);
    });
    overlay.appendChild(list);
  }

  // The server says which site this page came from; an event naming another site (even the
  // first, if the stream connected only after a rebuild) means the page is out of date.
  var script = document.currentScript;
  var version = script && script.dataset.site !== undefined ? script.dataset.site : null;
  var source = new EventSource("/__guide/events");
  source.addEventListener("site", function (event) {
    if (version !== null && event.data !== version) {
      sessionStorage.setItem(key, String(window.scrollY));
      location.reload();
      return;
    }
    version = event.data;
    if (overlay) { overlay.remove(); overlay = null; }
  });
  source.addEventListener("problems", function (event) {
    showProblems(JSON.parse(event.data));
  });
})();
