// Search for the guide: runs in the browser, from a web server or straight from disk.
// The index is JavaScript files loaded with <script> elements (fetch is blocked on file://),
// split into shards so a query loads only the vocabulary, postings and excerpts it needs.
// Text becomes terms exactly as the Swift indexer does it (SearchText.swift, PorterStemmer.swift).
(function () {
  "use strict";

  // ---- Loading shards -------------------------------------------------------------------
  var manifest = null;
  var manifestWaiters = [];
  var shards = {};     // name -> data
  var pending = {};    // name -> Promise
  var waiting = {};    // name -> resolve
  var loaded = [];     // files loaded, in order (for benchmarks and tests)
  var base = (function () {
    var scripts = document.getElementsByTagName("script");
    for (var i = 0; i < scripts.length; i++) {
      var src = scripts[i].getAttribute("src") || "";
      if (/(^|\/)static\/search\.js$/.test(src)) return src.replace(/static\/search\.js$/, "");
    }
    return "";
  })();

  function load(name) {
    if (shards[name] !== undefined) return Promise.resolve(shards[name]);
    if (pending[name]) return pending[name];
    pending[name] = new Promise(function (resolve) {
      waiting[name] = resolve;
      var script = document.createElement("script");
      script.src = base + "search/" + name + ".js";
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
    manifest.shards = {};
    data.keys.split(" ").forEach(function (key) { if (key) manifest.shards[key] = data.names[key] || key; });
    manifest.stop = {};
    data.stopWords.forEach(function (w) { manifest.stop[w] = true; });
    manifestWaiters.forEach(function (resolve) { resolve(manifest); });
    manifestWaiters = [];
  }

  // ---- Text to terms ----------------------------------------------------------------------
  function words(text) {
    var folded = String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
    return folded.match(/[\p{L}\p{N}]+/gu) || [];
  }

  function isStop(word) { return manifest && manifest.stop[word] === true; }

  // The Porter stemmer, as Martin Porter's reference implementations have it.
  var stem = (function () {
    var b, k, j;
    function cons(i) {
      var c = b[i];
      if (c === "a" || c === "e" || c === "i" || c === "o" || c === "u") return false;
      if (c === "y") return i === 0 ? true : !cons(i - 1);
      return true;
    }
    function m() {
      var n = 0, i = 0;
      while (true) { if (i > j) return n; if (!cons(i)) break; i++; }
      i++;
      while (true) {
        while (true) { if (i > j) return n; if (cons(i)) break; i++; }
        i++; n++;
        while (true) { if (i > j) return n; if (!cons(i)) break; i++; }
        i++;
      }
    }
    function vowelInStem() { for (var i = 0; i <= j; i++) if (!cons(i)) return true; return false; }
    function doublec(i) { return i >= 1 && b[i] === b[i - 1] && cons(i); }
    function cvc(i) {
      if (i < 2 || !cons(i) || cons(i - 1) || !cons(i - 2)) return false;
      var c = b[i];
      return !(c === "w" || c === "x" || c === "y");
    }
    function ends(s) {
      var length = s.length;
      if (length > k + 1) return false;
      for (var n = 0; n < length; n++) if (b[k - length + 1 + n] !== s.charAt(n)) return false;
      j = k - length;
      return true;
    }
    function setTo(s) {
      b.splice(j + 1, k - j, ...s.split(""));
      k = j + s.length;
    }
    function r(s) { if (m() > 0) setTo(s); }
    function step1ab() {
      if (b[k] === "s") {
        if (ends("sses")) k -= 2;
        else if (ends("ies")) setTo("i");
        else if (b[k - 1] !== "s") k--;
      }
      if (ends("eed")) { if (m() > 0) k--; }
      else if ((ends("ed") || ends("ing")) && vowelInStem()) {
        k = j;
        if (ends("at")) setTo("ate");
        else if (ends("bl")) setTo("ble");
        else if (ends("iz")) setTo("ize");
        else if (doublec(k)) { k--; var ch = b[k]; if (ch === "l" || ch === "s" || ch === "z") k++; }
        else { j = k; if (m() === 1 && cvc(k)) setTo("e"); }
      }
    }
    function step1c() { if (ends("y") && vowelInStem()) b[k] = "i"; }
    function step2() {
      if (k < 1) return;
      switch (b[k - 1]) {
        case "a": if (ends("ational")) r("ate"); else if (ends("tional")) r("tion"); break;
        case "c": if (ends("enci")) r("ence"); else if (ends("anci")) r("ance"); break;
        case "e": if (ends("izer")) r("ize"); break;
        case "l":
          if (ends("bli")) r("ble"); else if (ends("alli")) r("al"); else if (ends("entli")) r("ent");
          else if (ends("eli")) r("e"); else if (ends("ousli")) r("ous");
          break;
        case "o": if (ends("ization")) r("ize"); else if (ends("ation")) r("ate"); else if (ends("ator")) r("ate"); break;
        case "s":
          if (ends("alism")) r("al"); else if (ends("iveness")) r("ive"); else if (ends("fulness")) r("ful");
          else if (ends("ousness")) r("ous");
          break;
        case "t": if (ends("aliti")) r("al"); else if (ends("iviti")) r("ive"); else if (ends("biliti")) r("ble"); break;
        case "g": if (ends("logi")) r("log"); break;
      }
    }
    function step3() {
      switch (b[k]) {
        case "e": if (ends("icate")) r("ic"); else if (ends("ative")) r(""); else if (ends("alize")) r("al"); break;
        case "i": if (ends("iciti")) r("ic"); break;
        case "l": if (ends("ical")) r("ic"); else if (ends("ful")) r(""); break;
        case "s": if (ends("ness")) r(""); break;
      }
    }
    function step4() {
      if (k < 1) return;
      switch (b[k - 1]) {
        case "a": if (!ends("al")) return; break;
        case "c": if (!(ends("ance") || ends("ence"))) return; break;
        case "e": if (!ends("er")) return; break;
        case "i": if (!ends("ic")) return; break;
        case "l": if (!(ends("able") || ends("ible"))) return; break;
        case "n": if (!(ends("ant") || ends("ement") || ends("ment") || ends("ent"))) return; break;
        case "o":
          if (ends("ion") && j >= 0 && (b[j] === "s" || b[j] === "t")) break;
          if (!ends("ou")) return;
          break;
        case "s": if (!ends("ism")) return; break;
        case "t": if (!(ends("ate") || ends("iti"))) return; break;
        case "u": if (!ends("ous")) return; break;
        case "v": if (!ends("ive")) return; break;
        case "z": if (!ends("ize")) return; break;
        default: return;
      }
      if (m() > 1) k = j;
    }
    function step5() {
      j = k;
      if (b[k] === "e") { var a = m(); if (a > 1 || (a === 1 && !cvc(k - 1))) k--; }
      if (b[k] === "l" && doublec(k) && m() > 1) k--;
    }
    return function (word) {
      if (word.length <= 2 || !/^[a-z]+$/.test(word)) return word;
      b = word.split(""); k = b.length - 1; j = 0;
      step1ab();
      if (k > 0) { step1c(); step2(); step3(); step4(); step5(); }
      return b.slice(0, k + 1).join("");
    };
  })();

  function term(word) { return isStop(word) ? null : stem(word); }

  // ---- Matching ------------------------------------------------------------------------------
  var WEIGHT = { exact: 1, prefix: 0.5, typo: 0.45, synonym: 0.7 };

  function shardKey(t) { return Array.from(t).slice(0, 2).join(""); }
  function shardName(key) { return manifest.shards[key]; }

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
      return load("v/" + name).then(function (entries) { return { name: name, entries: entries || [] }; });
    }));
  }

  function typoLimit(word) { return word.length >= 8 ? 2 : word.length >= 4 ? 1 : 0; }

  // The query as words, each with the vocabulary terms that match it and how.
  function analyse(query) {
    var all = words(query);
    var kept = all.filter(function (w) { return !isStop(w); });
    if (kept.length === 0) kept = all;
    var parts = kept.map(function (word) { return { word: word, term: isStop(word) ? word : stem(word), matches: [] }; });
    var keys = [];
    parts.forEach(function (p) {
      keys.push(shardKey(p.term), shardKey(p.word));
      var w = Array.from(p.word);
      if (typoLimit(p.word) > 0 && w.length >= 3) keys.push(w[0] + w[2], w[1] + w[0]);
    });
    return loadVocabulary(keys).then(function (vocabularies) {
      var byName = {};
      vocabularies.forEach(function (v) { byName[v.name] = v.entries; });
      function entriesFor(key) { var name = shardName(key); return name ? byName[name] || [] : []; }
      parts.forEach(function (p) {
        var seen = {};
        function note(entry, kind) {
          if (seen[entry[0]] && WEIGHT[seen[entry[0]].kind] >= WEIGHT[kind]) return;
          var match = { term: entry[0], df: entry[1], chunk: entry[2], word: entry[3] || entry[0], kind: kind, shard: null };
          seen[entry[0]] = match;
        }
        var own = shardKey(p.term);
        entriesFor(own).forEach(function (e) { if (e[0] === p.term) note(e, "exact"); });
        if (p.word.length >= 3) {
          var prefixes = entriesFor(shardKey(p.word)).filter(function (e) {
            return e[0] !== p.term && e[0].indexOf(p.word) === 0;
          }).sort(function (a, b) { return b[1] - a[1]; }).slice(0, 12);
          prefixes.forEach(function (e) { note(e, "prefix"); });
        }
        var hasExact = Object.keys(seen).some(function (t) { return seen[t].kind === "exact"; });
        var limit = typoLimit(p.word);
        if (!hasExact && limit > 0) {
          var w = Array.from(p.word);
          [shardKey(p.word), w[0] + w[2], w[1] + w[0]].forEach(function (key) {
            entriesFor(key).forEach(function (e) {
              var d = Math.min(editDistance(p.word, e[3] || e[0], limit), editDistance(p.term, e[0], limit));
              if (d <= limit) note(e, "typo");
            });
          });
        }
        Object.keys(seen).forEach(function (t) {
          var match = seen[t];
          match.shard = shardName(shardKey(t));
          p.matches.push(match);
        });
      });
      return parts;
    });
  }

  // Glossary synonyms: a phrase of the query that is a glossary term, abbreviation or alias.
  function synonymGroups(parts) {
    var terms = parts.map(function (p) { return p.term; });
    var found = [];
    manifest.synonyms.forEach(function (phrases, group) {
      phrases.forEach(function (phrase) {
        for (var i = 0; i + phrase.length <= terms.length; i++) {
          var same = true;
          for (var n = 0; n < phrase.length; n++) if (terms[i + n] !== phrase[n]) { same = false; break; }
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
  // (exact 1, prefix 0.5, typo 0.45), plus glossary synonyms (0.7), times the share of
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
        return load("v/" + shard).then(function (entries) {
          var entry = (entries || []).filter(function (e) { return e[0] === g.token; })[0];
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
        parts.forEach(function (p) { marks[p.term] = true; p.matches.forEach(function (m) { marks[m.term] = true; }); });
        // Glossary phrases are marked where they stand whole ("cytokine release syndrome"), not word by word.
        var phrases = [];
        groups.forEach(function (g) { phrases = phrases.concat(manifest.synonyms[g.group]); });
        marks.phrases = phrases;
        var suggestion = null;
        parts.forEach(function (p) {
          var exact = p.matches.some(function (m) { return m.kind === "exact" || m.kind === "prefix"; });
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
  function excerpt(text, marks) {
    var tokens = text.split(/(\s+)/);
    var hits = [];
    var marked = {};
    var sequence = [];  // [token index, term] for each word that is not a stop word
    tokens.forEach(function (token, i) {
      if (i % 2 === 1) return;
      words(token).forEach(function (w) {
        var t = term(w);
        if (!t) return;
        sequence.push([i, t]);
        if (marks[t] === true) marked[i] = true;
      });
    });
    (marks.phrases || []).forEach(function (phrase) {
      for (var n = 0; n + phrase.length <= sequence.length; n++) {
        var whole = true;
        for (var k = 0; k < phrase.length; k++) if (sequence[n + k][1] !== phrase[k]) { whole = false; break; }
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
    return (start > 0 ? "… " : "") + rendered.slice(start, end).join("").trim() + (end < tokens.length ? " …" : "");
  }

  function describe(outcome, shown) {
    return outcome.results.slice(0, shown).map(function (d) {
      return load("x/" + d.chapter).then(function (chapter) {
        var entry = chapter && chapter.d[d.section];
        if (!entry) return null;
        return {
          href: chapter.u + (entry[0] ? "#" + entry[0] : ""),
          title: entry[1],
          excerpt: excerpt(entry[2], outcome.marks),
          score: d.score
        };
      });
    });
  }

  // ---- The search page ---------------------------------------------------------------------
  var PAGE = 10;

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
    more.textContent = "Show more results";
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
        var mean = outcome.suggestion ? ' Did you mean <a href="?q=' + encodeURIComponent(outcome.suggestion) + '">' +
          escapeHTML(outcome.suggestion) + "</a>?" : "";
        var total = outcome.results.length;
        if (!q) status.innerHTML = "";
        else if (total === 0) status.innerHTML = "No results for “" + q + "”." + mean;
        else status.innerHTML = (total === 1 ? "1 result" : total + " results") + " for “" + q + "”." + mean;
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
    init: init, add: add, load: load, search: search, stem: stem, words: words, loaded: loaded,
    ready: ready, excerpt: excerpt, describe: describe
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp); else setUp();
})();
