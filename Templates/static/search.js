// Search for the guide: runs in the browser, from a web server or straight from disk.
// The index is JavaScript files loaded with <script> elements (fetch is blocked on file://),
// split into shards so a query loads only the vocabulary, postings and excerpts it needs.
// The files and the text rules are written down in docs/search-index.md, which the Swift
// indexer (SearchIndex.swift, SearchText.swift) follows too. The browser has no stemmer: the
// vocabulary shards list the guide's word forms with their terms.
(function () {
  "use strict";

  // ---- Loading shards -------------------------------------------------------------------
  var manifest = null;
  var manifestWaiters = [];
  var shards = {};     // name -> data
  var pending = {};    // name -> Promise
  var waiting = {};    // name -> resolve
  var loaded = [];     // files loaded, in order (for benchmarks and tests)
  // Where the index is: the script's data-index (a translation's pages have their own,
  // in their folder), else search/ beside the folder of static/search.js.
  var base = (function () {
    var scripts = document.getElementsByTagName("script");
    for (var i = 0; i < scripts.length; i++) {
      var src = scripts[i].getAttribute("src") || "";
      if (/(^|\/)static\/search\.js$/.test(src)) {
        var index = scripts[i].getAttribute("data-index");
        return index !== null ? index : src.replace(/static\/search\.js$/, "") + "search/";
      }
    }
    return "search/";
  })();

  function load(name) {
    if (shards[name] !== undefined) return Promise.resolve(shards[name]);
    if (pending[name]) return pending[name];
    pending[name] = new Promise(function (resolve) {
      waiting[name] = resolve;
      var script = document.createElement("script");
      script.src = base + name + ".js";
      script.async = true;
      script.onerror = function () { add(name, null); };
      loaded.push("search/" + name + ".js");
      document.head.appendChild(script);
    });
    return pending[name];
  }

  function add(name, data) {
    shards[name] = data;
    if (waiting[name]) { waiting[name](data); delete waiting[name]; }
  }

  function ready() {
    if (manifest) return Promise.resolve(manifest);
    return new Promise(function (resolve) { manifestWaiters.push(resolve); });
  }

  function init(data) {
    manifest = data;
    manifest.stop = {};
    data.stopWords.forEach(function (w) { manifest.stop[w] = true; });
    manifestWaiters.forEach(function (resolve) { resolve(manifest); });
    manifestWaiters = [];
  }

  // ---- Text to words ---------------------------------------------------------------------
  // Folding: NFD, accents U+0300–U+036F dropped, lower case, final sigma as σ, NFC; words are
  // runs of letters, marks and digits.
  function words(text) {
    var folded = String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/\u03c2/g, "\u03c3").normalize("NFC");
    return folded.match(/[\p{L}\p{M}\p{N}]+/gu) || [];
  }

  function isStop(word) { return manifest && manifest.stop[word] === true; }

  // Vocabulary shards, as loaded: { terms: [[term, df, chunk, word?]], entry: Map term -> entry,
  // forms: Map form -> [term], and per shard key its entries (byKey) and forms (formsByKey) }.
  // `formTerms` gathers the forms of every shard loaded so far, for marking excerpts.
  var vocabularies = {};
  var formTerms = new Map();

  function vocabulary(name, data) {
    if (vocabularies[name]) return vocabularies[name];
    var v = { terms: (data && data.t) || [], entry: new Map(), forms: new Map(), byKey: new Map(), formsByKey: new Map() };
    v.terms.forEach(function (e) {
      v.entry.set(e[0], e);
      var key = shardKey(e[0]);
      if (!v.byKey.has(key)) v.byKey.set(key, []);
      v.byKey.get(key).push(e);
    });
    var f = (data && data.f) || {};
    Object.keys(f).forEach(function (form) {
      var refs = Array.isArray(f[form]) ? f[form] : [f[form]];
      var terms = refs.map(function (r) { return typeof r === "number" ? v.terms[r][0] : r; });
      v.forms.set(form, terms);
      formTerms.set(form, terms);
      // A form is listed under its own key and under the key of each of its terms.
      var keys = [shardKey(form)];
      terms.forEach(function (t) { if (v.entry.has(t) && keys.indexOf(shardKey(t)) < 0) keys.push(shardKey(t)); });
      keys.forEach(function (key) {
        if (!v.formsByKey.has(key)) v.formsByKey.set(key, new Map());
        v.formsByKey.get(key).set(form, terms);
      });
    });
    return (vocabularies[name] = v);
  }

  // The terms of a word, from the shards loaded: a listed form's terms, else the word itself
  // when it is a term (a form that is its own term is not listed), else none.
  function termsOf(word) {
    var v = vocabularies[shardName(shardKey(word))];
    if (v && v.forms.has(word)) return v.forms.get(word);
    if (v && v.entry.has(word)) return [word];
    return formTerms.get(word) || [];
  }

  // A term's vocabulary entry, if its shard is loaded.
  function entryOf(t) {
    var v = vocabularies[shardName(shardKey(t))];
    return v ? v.entry.get(t) : undefined;
  }

  // ---- Matching ------------------------------------------------------------------------------
  var WEIGHT = { exact: 1, stem: 0.8, prefix: 0.5, typo: 0.45, synonym: 0.7 };

  // A term's or form's shard key: its first two code points (words are folded, so NFC).
  function shardKey(t) { return Array.from(t).slice(0, 2).join(""); }
  // The shard holding a key: the last whose first key is not after it (the manifest lists
  // them in the order JavaScript compares strings), or none before the first.
  function shardName(key) {
    var first = manifest.shards, low = 0, high = first.length - 1, found = -1;
    while (low <= high) {
      var middle = (low + high) >> 1;
      if (first[middle] <= key) { found = middle; low = middle + 1; } else high = middle - 1;
    }
    return found < 0 ? undefined : String(found);
  }

  function editDistance(a, b, limit) {
    if (Math.abs(a.length - b.length) > limit) return limit + 1;
    var prev = [], cur = [], i, j2;
    for (j2 = 0; j2 <= b.length; j2++) prev[j2] = j2;
    for (i = 1; i <= a.length; i++) {
      cur = [i];
      var best = i;
      for (j2 = 1; j2 <= b.length; j2++) {
        var cost = a[i - 1] === b[j2 - 1] ? 0 : 1;
        cur[j2] = Math.min(prev[j2] + 1, cur[j2 - 1] + 1, prev[j2 - 1] + cost);
        if (i > 1 && j2 > 1 && a[i - 1] === b[j2 - 2] && a[i - 2] === b[j2 - 1]) cur[j2] = Math.min(cur[j2], prevprev[j2 - 2] + 1);
        best = Math.min(best, cur[j2]);
      }
      if (best > limit) return limit + 1;
      var prevprev = prev;
      prev = cur;
    }
    return prev[b.length];
  }

  // Vocabulary entries: [term, documentFrequency, chunk, word?]
  function loadVocabulary(keys) {
    var names = [];
    keys.forEach(function (key) { var name = shardName(key); if (name && names.indexOf(name) < 0) names.push(name); });
    return Promise.all(names.map(function (name) {
      return load("v/" + name).then(function (data) { return vocabulary(name, data); });
    }));
  }

  function typoLimit(word) { return word.length >= 8 ? 2 : word.length >= 4 ? 1 : 0; }

  // The query as words, each with its terms (looked up as a form) and the vocabulary terms
  // that match it and how: its own terms exactly, else a term it extends, by prefix and by typo.
  function analyse(query) {
    var all = words(query);
    var kept = all.filter(function (w) { return !isStop(w); });
    if (kept.length === 0) kept = all;
    var parts = kept.map(function (word) { return { word: word, terms: [], matches: [] }; });
    var keys = [];
    parts.forEach(function (p) {
      keys.push(shardKey(p.word));
      var w = Array.from(p.word);
      if (typoLimit(p.word) > 0 && w.length >= 3) keys.push(w[0] + w[2], w[1] + w[0]);
    });
    return loadVocabulary(keys).then(function () {
      // A form's term may start differently ("dying" is "die"): its shard is loaded too.
      var more = [];
      parts.forEach(function (p) {
        p.terms = termsOf(p.word);
        p.terms.forEach(function (t) { more.push(shardKey(t)); });
      });
      return loadVocabulary(more);
    }).then(function () {
      function entriesFor(key) { var v = vocabularies[shardName(key)]; return (v && v.byKey.get(key)) || []; }
      function formsFor(key) { var v = vocabularies[shardName(key)]; return (v && v.formsByKey.get(key)) || new Map(); }
      parts.forEach(function (p) {
        var seen = new Map();
        function note(entry, kind) {
          if (!entry) return;
          var known = seen.get(entry[0]);
          if (known && WEIGHT[known.kind] >= WEIGHT[kind]) return;
          seen.set(entry[0], { term: entry[0], df: entry[1], chunk: entry[2], word: entry[3] || entry[0], kind: kind, shard: null });
        }
        p.terms.forEach(function (t) { note(entryOf(t), "exact"); });
        var own = shardKey(p.word);
        // A word the guide never writes may still extend its terms ("vaccinated", "vaccin"):
        // terms of 4 characters or more and at least half the word stand in for the stem
        // the browser cannot compute.
        if (p.terms.length === 0) {
          entriesFor(own).forEach(function (e) {
            var t = e[0];
            if (t.length >= 4 && t.length < p.word.length && 2 * t.length >= p.word.length && p.word.indexOf(t) === 0) note(e, "stem");
          });
        }
        if (p.word.length >= 3) {
          var candidates = entriesFor(own).filter(function (e) {
            return p.terms.indexOf(e[0]) < 0 && e[0].indexOf(p.word) === 0;
          });
          formsFor(own).forEach(function (terms, form) {
            if (form === p.word || form.indexOf(p.word) !== 0) return;
            terms.forEach(function (t) {
              var e = entryOf(t);
              if (e && p.terms.indexOf(t) < 0 && candidates.indexOf(e) < 0) candidates.push(e);
            });
          });
          candidates.sort(function (a, b) { return b[1] - a[1]; }).slice(0, 12).forEach(function (e) { note(e, "prefix"); });
        }
        var hasExact = Array.from(seen.values()).some(function (m) { return m.kind === "exact" || m.kind === "stem"; });
        var limit = typoLimit(p.word);
        if (!hasExact && limit > 0) {
          var w = Array.from(p.word);
          [own, w[0] + w[2], w[1] + w[0]].forEach(function (key) {
            entriesFor(key).forEach(function (e) {
              var d = Math.min(editDistance(p.word, e[3] || e[0], limit), editDistance(p.word, e[0], limit));
              if (d <= limit) note(e, "typo");
            });
            formsFor(key).forEach(function (terms, form) {
              if (editDistance(p.word, form, limit) <= limit) terms.forEach(function (t) { note(entryOf(t), "typo"); });
            });
          });
        }
        seen.forEach(function (match, t) {
          match.shard = shardName(shardKey(t));
          p.matches.push(match);
        });
      });
      return parts;
    });
  }

  // Glossary synonyms: a phrase of the query that is a glossary term, abbreviation or alias.
  // A query word that is no form of the guide stands for itself.
  function synonymGroups(parts) {
    var terms = parts.map(function (p) { return p.terms.length ? p.terms : [p.word]; });
    var found = [];
    manifest.synonyms.forEach(function (phrases, group) {
      phrases.forEach(function (phrase) {
        for (var i = 0; i + phrase.length <= terms.length; i++) {
          var same = true;
          for (var n = 0; n < phrase.length; n++) if (terms[i + n].indexOf(phrase[n]) < 0) { same = false; break; }
          if (same && !found.some(function (f) { return f.group === group; })) {
            found.push({ group: group, token: "~" + group.toString(36), covers: phrase.length > 0 ? range(i, i + phrase.length) : [] });
          }
        }
      });
    });
    return found;
  }

  function range(a, b) { var r = []; for (var i = a; i < b; i++) r.push(i); return r; }

  function decode(base64) {
    var text = atob(base64), out = [], i = 0, chapter = 0;
    function varint() {
      var v = 0, shift = 0, byte;
      do { byte = text.charCodeAt(i++); v += (byte & 0x7f) * Math.pow(2, shift); shift += 7; } while (byte & 0x80);
      return v;
    }
    while (i < text.length) {
      chapter += varint();
      var section = varint();
      out.push(chapter, section, text.charCodeAt(i++));
    }
    return out;
  }

  function postingsOf(shard, chunk, t) {
    return load("p/" + shard + "-" + chunk).then(function (data) { return data && data[t] ? decode(data[t]) : []; });
  }

  // Ranks documents: per query word, its best-matching term's score for the document
  // (exact 1, stem 0.8, prefix 0.5, typo 0.45), plus glossary synonyms (0.7), times the share of
  // query words the document matches, so documents with every word come first.
  function search(query) {
    return ready().then(function () { return analyse(query); }).then(function (parts) {
      var groups = synonymGroups(parts);
      var jobs = [];
      parts.forEach(function (p, index) {
        p.matches.forEach(function (match) {
          jobs.push(postingsOf(match.shard, match.chunk, match.term).then(function (list) {
            return { part: index, weight: WEIGHT[match.kind], list: list };
          }));
        });
      });
      var groupJobs = groups.map(function (g) {
        var shard = shardName(shardKey(g.token));
        if (!shard) return Promise.resolve({ group: g, list: [] });
        return load("v/" + shard).then(function (data) {
          var entry = vocabulary(shard, data).entry.get(g.token);
          if (!entry) return { group: g, list: [] };
          return postingsOf(shard, entry[2], g.token).then(function (list) { return { group: g, list: list }; });
        });
      });
      return Promise.all([Promise.all(jobs), Promise.all(groupJobs)]).then(function (loaded) {
        var scores = {};
        function doc(chapter, section) {
          var key = chapter + ":" + section;
          return scores[key] || (scores[key] = { chapter: chapter, section: section, best: parts.map(function () { return 0; }), synonym: 0, covered: {} });
        }
        loaded[0].forEach(function (job) {
          for (var i = 0; i < job.list.length; i += 3) {
            var d = doc(job.list[i], job.list[i + 1]);
            d.best[job.part] = Math.max(d.best[job.part], job.list[i + 2] * job.weight);
          }
        });
        loaded[1].forEach(function (job) {
          for (var i = 0; i < job.list.length; i += 3) {
            var d = doc(job.list[i], job.list[i + 1]);
            d.synonym += job.list[i + 2] * WEIGHT.synonym;
            job.group.covers.forEach(function (n) { d.covered[n] = true; });
          }
        });
        var results = Object.keys(scores).map(function (key) {
          var d = scores[key], sum = d.synonym, matched = 0;
          d.best.forEach(function (s, n) { sum += s; if (s > 0 || d.covered[n]) matched++; });
          d.score = sum * (parts.length ? matched / parts.length : 1);
          return d;
        }).filter(function (d) { return d.score > 0; });
        results.sort(function (a, b) { return b.score - a.score || a.chapter - b.chapter || a.section - b.section; });
        var marks = {};
        parts.forEach(function (p) {
          p.terms.forEach(function (t) { marks[t] = true; });
          p.matches.forEach(function (m) { marks[m.term] = true; });
        });
        // Glossary phrases are marked where they stand whole ("cytokine release syndrome"), not word by word.
        var phrases = [];
        groups.forEach(function (g) { phrases = phrases.concat(manifest.synonyms[g.group]); });
        marks.phrases = phrases;
        var suggestion = null;
        parts.forEach(function (p) {
          var exact = p.matches.some(function (m) { return m.kind === "exact" || m.kind === "stem" || m.kind === "prefix"; });
          var typos = p.matches.filter(function (m) { return m.kind === "typo"; }).sort(function (a, b) { return b.df - a.df; });
          if (!exact && typos.length) {
            suggestion = (suggestion || parts.map(function (q) { return q.word; }));
            suggestion[parts.indexOf(p)] = typos[0].word;
          }
        });
        return { query: query, results: results, marks: marks, suggestion: suggestion ? suggestion.join(" ") : null };
      });
    });
  }

  // ---- Results -----------------------------------------------------------------------------
  function escapeHTML(s) {
    return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }

  // An excerpt of about 30 words around the first matched word; matched words are marked.
  // A word's terms come from the vocabulary shards loaded, which hold the query's forms.
  function excerpt(text, marks) {
    var tokens = text.split(/(\s+)/);
    var hits = [];
    var marked = {};
    var sequence = [];  // [token index, terms] for each word that is not a stop word
    tokens.forEach(function (token, i) {
      if (i % 2 === 1) return;
      words(token).forEach(function (w) {
        if (isStop(w)) return;
        var terms = termsOf(w);
        if (terms.length === 0) terms = [w];
        sequence.push([i, terms]);
        if (terms.some(function (t) { return marks[t] === true; })) marked[i] = true;
      });
    });
    (marks.phrases || []).forEach(function (phrase) {
      for (var n = 0; n + phrase.length <= sequence.length; n++) {
        var whole = true;
        for (var k = 0; k < phrase.length; k++) if (sequence[n + k][1].indexOf(phrase[k]) < 0) { whole = false; break; }
        if (whole) for (k = 0; k < phrase.length; k++) marked[sequence[n + k][0]] = true;
      }
    });
    var rendered = tokens.map(function (token, i) {
      if (i % 2 === 1) return token;
      var hit = marked[i] === true;
      if (hit) hits.push(i);
      return hit ? token.replace(/^([^\p{L}\p{N}]*)(.*?)([^\p{L}\p{N}]*)$/u, function (_, a, b, c) {
        return escapeHTML(a) + "<mark>" + escapeHTML(b) + "</mark>" + escapeHTML(c);
      }) : escapeHTML(token);
    });
    var center = hits.length ? hits[0] : 0;
    var start = Math.max(0, center - 16), end = Math.min(tokens.length, start + 60);
    if (start % 2 === 1) start++;
    // The marked words' forms, for the page to mark them too when the result is opened.
    var forms = [];
    hits.forEach(function (i) {
      words(tokens[i]).forEach(function (w) { if (forms.indexOf(w) < 0) forms.push(w); });
    });
    return {
      html: (start > 0 ? "… " : "") + rendered.slice(start, end).join("").trim() + (end < tokens.length ? " …" : ""),
      forms: forms
    };
  }

  function describe(outcome, shown) {
    return outcome.results.slice(0, shown).map(function (d) {
      // Excerpt files hold `perFile` chapters in a row; or, when long chapters are split
      // (`parts`, the stride of a document's number), one part of one chapter each.
      var per = manifest.perFile || 1, stride = manifest.parts || 0;
      var name = stride ? d.chapter + "-" + Math.floor(d.section / stride) : String(Math.floor(d.chapter / per));
      return load("x/" + name).then(function (file) {
        var chapter = file && file.c[stride ? 0 : d.chapter % per];
        var entry = chapter && chapter.d[stride ? d.section % stride : d.section];
        if (!entry) return null;
        var shown = excerpt(entry[2], outcome.marks);
        // ?hl= carries the words to mark on the page (guide.js), from disk as from a server.
        return {
          href: chapter.u + (shown.forms.length ? "?hl=" + encodeURIComponent(shown.forms.join(" ")) : "") +
            (entry[0] ? "#" + entry[0] : ""),
          title: entry[1],
          excerpt: shown.html,
          score: d.score
        };
      });
    });
  }

  // ---- The search page ---------------------------------------------------------------------
  var PAGE = 10;

  // The page's messages come from the site's strings file, as data attributes of the status
  // line (data-none="No results for “{query}”."); each {slot} is filled with HTML already escaped.
  var MESSAGES = { more: "Show more results", none: "No results for “{query}”.", one: "1 result for “{query}”.",
                   many: "{count} results for “{query}”.", didYouMean: "Did you mean {suggestion}?" };
  function say(name, slots) {
    var status = document.getElementById("search-status");
    var text = escapeHTML((status && status.dataset[name]) || MESSAGES[name]);
    return text.replace(/\{(\w+)\}/g, function (all, slot) { return slots && slot in slots ? slots[slot] : all; });
  }

  function setUp() {
    var input = document.getElementById("search-page-input");
    var list = document.getElementById("search-results");
    var status = document.getElementById("search-status");
    if (!input || !list || !status) return;
    var params = new URLSearchParams(window.location.search);
    var initial = params.get("q") || "";
    input.value = initial;
    var headerInput = document.getElementById("search-input");
    if (headerInput) headerInput.value = initial;
    var sequence = 0, timer = null, shown = PAGE, last = null;
    var more = document.createElement("button");
    more.type = "button";
    more.className = "search-more";
    more.textContent = say("more");
    more.hidden = true;
    list.parentNode.insertBefore(more, list.nextSibling);

    function render(outcome, seq) {
      Promise.all(describe(outcome, shown)).then(function (items) {
        if (seq !== sequence) return;
        items = items.filter(Boolean);
        list.innerHTML = items.map(function (item) {
          return '<li class="search-result"><a href="' + escapeHTML(item.href) + '"><span class="result-title">' +
            escapeHTML(item.title) + '</span></a><p class="result-excerpt">' + item.excerpt + "</p></li>";
        }).join("");
        var q = escapeHTML(outcome.query.trim());
        var mean = outcome.suggestion ? " " + say("didYouMean", { suggestion: '<a href="?q=' + encodeURIComponent(outcome.suggestion) + '">' +
          escapeHTML(outcome.suggestion) + "</a>" }) : "";
        var total = outcome.results.length;
        if (!q) status.innerHTML = "";
        else status.innerHTML = say(total === 0 ? "none" : total === 1 ? "one" : "many", { query: q, count: String(total) }) + mean;
        // The button sits after the list, so the list holds one <li> per result and nothing else.
        more.hidden = total <= shown;
        more.onclick = function () { shown += PAGE; render(outcome, sequence); };
        document.documentElement.setAttribute("data-search-ready", String(seq));
      });
    }

    function run(query) {
      var seq = ++sequence;
      shown = PAGE;
      if (!query.trim()) { list.innerHTML = ""; status.innerHTML = ""; more.hidden = true; return; }
      search(query).then(function (outcome) {
        if (seq !== sequence) return;
        last = outcome;
        render(outcome, seq);
      });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        run(input.value);
        try {
          var url = new URL(window.location.href);
          url.searchParams.set("q", input.value);
          window.history.replaceState(null, "", url.toString());
        } catch (e) { /* some browsers refuse history changes on file:// pages */ }
      }, 30);
    });

    // Arrow keys move from the box through the results; Enter follows a link.
    function links() {
      var all = Array.prototype.slice.call(list.querySelectorAll("a"));
      if (!more.hidden) all.push(more);
      return all;
    }
    function move(from, step) {
      var all = links();
      var i = all.indexOf(from) + step;
      if (i < 0) { input.focus(); return; }
      if (i < all.length) all[i].focus();
    }
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") { var first = links()[0]; if (first) { e.preventDefault(); first.focus(); } }
    });
    [list, more].forEach(function (element) {
      element.addEventListener("keydown", function (e) {
        if (e.key === "ArrowDown") { e.preventDefault(); move(document.activeElement, 1); }
        if (e.key === "ArrowUp") { e.preventDefault(); move(document.activeElement, -1); }
      });
    });
    if (initial) run(initial);
  }

  window.GuideSearch = {
    init: init, add: add, load: load, search: search, words: words, shardKey: shardKey, shardName: shardName, loaded: loaded,
    ready: ready, excerpt: excerpt, describe: describe
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp); else setUp();
})();
