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

// A heading renamed since its address was published: its old #anchor (listed by the page,
// from `anchors:` in the chapter's front matter) is taken on to the new one.
(function () {
  "use strict";
  var article = document.querySelector("[data-moved-anchors]");
  if (!article) return;
  var moved;
  try { moved = JSON.parse(article.getAttribute("data-moved-anchors")); } catch (e) { return; }
  function follow() {
    var id;
    try { id = decodeURIComponent(window.location.hash.slice(1)); } catch (e) { return; }
    if (!id || document.getElementById(id) || !Object.prototype.hasOwnProperty.call(moved, id)) return;
    window.location.replace("#" + encodeURIComponent(moved[id]));
  }
  window.addEventListener("hashchange", follow);
  follow();
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

// Landing from a search result: the words the search matched (?hl=…, folded as the search
// folds them) are marked on the page, the first one (in the section the result points at)
// is scrolled into view, and "Clear highlights" takes the marks away.
(function () {
  "use strict";
  var wanted = new URLSearchParams(window.location.search).get("hl");
  var body = document.querySelector(".chapter-body");
  var bar = document.querySelector(".search-hits");
  if (!wanted || !body || !bar) return;
  function fold(word) {
    return word.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/ς/g, "σ").normalize("NFC");
  }
  var forms = {};
  wanted.split(/\s+/).forEach(function (w) { if (w) forms[fold(w)] = true; });
  var walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT, {
    acceptNode: function (node) {
      return node.parentNode.closest("script, style, mark, summary") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
    }
  });
  var texts = [];
  while (walker.nextNode()) texts.push(walker.currentNode);
  var marks = [];
  texts.forEach(function (node) {
    var text = node.nodeValue, pattern = /[\p{L}\p{M}\p{N}]+/gu, match, last = 0, parts = [];
    while ((match = pattern.exec(text)) !== null) {
      if (!forms[fold(match[0])]) continue;
      parts.push(document.createTextNode(text.slice(last, match.index)));
      var mark = document.createElement("mark");
      mark.className = "search-hit";
      mark.textContent = match[0];
      parts.push(mark);
      marks.push(mark);
      last = match.index + match[0].length;
    }
    if (!parts.length) return;
    parts.push(document.createTextNode(text.slice(last)));
    parts.forEach(function (part) { node.parentNode.insertBefore(part, node); });
    node.parentNode.removeChild(node);
  });
  if (!marks.length) return;
  bar.hidden = false;
  var target = window.location.hash ? document.getElementById(decodeURIComponent(window.location.hash.slice(1))) : null;
  var first = marks.find(function (m) {
    return !target || (target.compareDocumentPosition(m) & Node.DOCUMENT_POSITION_FOLLOWING);
  }) || marks[0];
  var details = first.closest("details");
  if (details) details.open = true;
  first.scrollIntoView({ block: "center" });
  bar.querySelector("button").addEventListener("click", function () {
    marks.forEach(function (m) { m.replaceWith(document.createTextNode(m.textContent)); });
    body.normalize();
    bar.hidden = true;
    var url = new URL(window.location.href);
    url.searchParams.delete("hl");
    try { history.replaceState(null, "", url.href); } catch (e) { /* file: pages may refuse */ }
  });
})();

// "Listen to this page": reads the chapter aloud with the browser's own speech synthesis
// (nothing leaves the computer), sentence by sentence in the page's language, marking the
// sentence being read; pause, resume and stop. Hidden where the browser cannot speak.
(function () {
  "use strict";
  var box = document.querySelector(".listen");
  var body = document.querySelector(".chapter-body");
  if (!box || !body || !window.speechSynthesis || typeof SpeechSynthesisUtterance === "undefined") return;
  var speech = window.speechSynthesis;
  var buttons = {};
  Array.prototype.forEach.call(box.querySelectorAll("[data-listen]"), function (b) { buttons[b.getAttribute("data-listen")] = b; });
  box.hidden = false;
  // A chapter shown in the source language says so on its body.
  var language = body.lang || document.documentElement.lang || "en";
  var queue = [], playing = false;

  // The sentences of the chapter, each with the range of the page it covers.
  function sentences() {
    var title = document.querySelector(".chapter h1");
    var blocks = (title ? [title] : []).concat(Array.prototype.filter.call(
      body.querySelectorAll("h2, h3, h4, p, li, td, th"), function (e) { return !e.querySelector("p, li") && !e.closest("mark.search-hit") ; }));
    var out = [];
    blocks.forEach(function (block) {
      var nodes = [], walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT), text = "";
      while (walker.nextNode()) { nodes.push([walker.currentNode, text.length]); text += walker.currentNode.nodeValue; }
      var pattern = /[^.!?]+[.!?]*["')\]]*\s*/g, match;
      while ((match = pattern.exec(text)) !== null) {
        var words = match[0].trim();
        if (!/[\p{L}\p{N}]/u.test(words)) continue;
        out.push({ text: words, block: block, range: range(nodes, match.index, match.index + match[0].trimEnd().length) });
      }
    });
    return out;
  }
  function range(nodes, start, end) {
    var r = document.createRange();
    function place(offset, setter) {
      for (var i = nodes.length - 1; i >= 0; i--) {
        if (nodes[i][1] <= offset) { setter.call(r, nodes[i][0], Math.min(offset - nodes[i][1], nodes[i][0].nodeValue.length)); return; }
      }
    }
    place(start, r.setStart);
    place(end, r.setEnd);
    return r;
  }
  function mark(sentence) {
    Array.prototype.forEach.call(document.querySelectorAll(".reading-now"), function (e) { e.classList.remove("reading-now"); });
    if (window.CSS && CSS.highlights && typeof Highlight !== "undefined") {
      if (sentence) CSS.highlights.set("guide-reading", new Highlight(sentence.range)); else CSS.highlights.delete("guide-reading");
    } else if (sentence) {
      sentence.block.classList.add("reading-now");
    }
  }
  function show(state) {
    buttons.play.hidden = state !== "stopped";
    buttons.pause.hidden = state !== "playing";
    buttons.resume.hidden = state !== "paused";
    buttons.stop.hidden = state === "stopped";
  }
  function next() {
    if (!playing) return;
    var sentence = queue.shift();
    if (!sentence) { stop(); return; }
    mark(sentence);
    var utterance = new SpeechSynthesisUtterance(sentence.text);
    utterance.lang = language;
    utterance.onend = next;
    utterance.onerror = next;
    speech.speak(utterance);
  }
  function stop() {
    playing = false;
    queue = [];
    speech.cancel();
    mark(null);
    show("stopped");
  }
  buttons.play.addEventListener("click", function () {
    speech.cancel();
    queue = sentences();
    playing = true;
    show("playing");
    next();
  });
  buttons.pause.addEventListener("click", function () { speech.pause(); show("paused"); });
  buttons.resume.addEventListener("click", function () { speech.resume(); show("playing"); });
  buttons.stop.addEventListener("click", stop);
  window.addEventListener("pagehide", function () { speech.cancel(); });
})();

// Glossary words: a tap (or click, hover, or keyboard focus) shows the meaning in place,
// with a link to the full entry, instead of leaving the chapter. The meaning moves from the
// word's title into the shown box, so a screen reader hears it once, when it is opened.
(function () {
  "use strict";
  // The link's words come from the strings file, through a <template> in the page.
  var source = document.querySelector("template[data-glossary-link]");
  var label = source ? source.content.textContent.trim() : "";
  var terms = document.querySelectorAll(".chapter-body a.glossary-term");
  var open = null;
  var returning = false;  // focus coming back to a word after Escape does not reopen it
  function close() {
    if (!open) return;
    open.link.setAttribute("aria-expanded", "false");
    open.box.hidden = true;
    open = null;
  }
  Array.prototype.forEach.call(terms, function (link, n) {
    var word = link.querySelector("dfn, abbr");
    if (!word || !word.title) return;
    var meaning = word.title;
    word.removeAttribute("title");
    var box = document.createElement("span");
    box.className = "glossary-pop";
    box.id = "glossary-pop-" + n;
    box.hidden = true;
    box.setAttribute("role", "note");
    var text = document.createElement("span");
    text.textContent = meaning + " ";
    var more = document.createElement("a");
    more.href = link.href;
    more.textContent = label || "Glossary";
    box.appendChild(text);
    box.appendChild(more);
    link.insertAdjacentElement("afterend", box);
    link.setAttribute("aria-expanded", "false");
    link.setAttribute("aria-controls", box.id);
    var pinned = false;
    function show() {
      if (open && open.link !== link) close();
      open = { link: link, box: box };
      box.hidden = false;
      link.setAttribute("aria-expanded", "true");
    }
    link.addEventListener("click", function (event) {
      if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      if (pinned && !box.hidden) { pinned = false; close(); } else { pinned = true; show(); }
    });
    link.addEventListener("mouseenter", show);
    link.addEventListener("focus", function () { if (!returning) show(); });
    link.addEventListener("mouseleave", function () { if (!pinned && !box.matches(":hover")) close(); });
    box.addEventListener("mouseleave", function () { if (!pinned) close(); });
    link.addEventListener("blur", function () {
      setTimeout(function () { if (!pinned && !box.contains(document.activeElement)) close(); }, 0);
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !open) return;
    var link = open.link;
    close();
    returning = true;
    link.focus();
    returning = false;
  });
  document.addEventListener("click", function (event) {
    if (open && !open.box.contains(event.target) && !open.link.contains(event.target)) close();
  });
})();

// The language switcher keeps the reader's place: a translated chapter's headings have the
// anchors of its source's, so the same #section exists in every language.
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll(".language-switcher a"), function (link) {
    link.addEventListener("click", function () {
      var href = link.getAttribute("href");
      if (location.hash && href.indexOf("#") < 0) link.setAttribute("href", href + location.hash);
    });
  });
})();
