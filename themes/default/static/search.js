// Search on /search/, against the index the build writes under /search/data/
// (see the README). Fetches only the files a query needs; no dependencies.
(function () {
  "use strict";
  var form = document.getElementById("search");
  if (!form || !window.fetch) return;
  var base = form.dataset.index;
  var input = document.getElementById("search-q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var selects = form.querySelectorAll("select[data-filter]");
  var PAGE = 20;
  var cache = new Map();
  var meta;
  var shards;
  var common;
  var current = { ids: [], shown: 0, run: 0 };

  function load(path) {
    if (!cache.has(path)) {
      cache.set(path, fetch(base + "/" + path).then(function (response) {
        if (!response.ok) throw new Error(response.status + " " + path);
        return response.json();
      }));
    }
    return cache.get(path);
  }

  // Must match the build: lowercase, no diacritics, letters and digits only.
  function words(text) {
    return text.toLowerCase().normalize("NFD").replace(/\p{M}/gu, "").match(/[\p{L}\p{N}]+/gu) || [];
  }

  function shardKey(word) {
    return Array.from(word).slice(0, 2).map(function (c) {
      return /[a-z0-9]/.test(c) ? c : "_" + c.codePointAt(0).toString(16);
    }).join("");
  }

  function undelta(deltas) {
    var value = 0;
    return deltas.map(function (d) { value += d; return value; });
  }

  // The postings of a word: { id: hits in title } for every article holding
  // it. The last word of a query also matches longer words it begins.
  function postings(word, prefix) {
    var key = shardKey(word);
    if (!shards.has(key)) return Promise.resolve(new Map());
    return load("words/" + key + ".json").then(function (shard) {
      var found = new Map();
      Object.keys(shard).forEach(function (candidate) {
        if (candidate === word || (prefix && word.length > 1 && candidate.startsWith(word))) {
          undelta(shard[candidate]).forEach(function (value) {
            var id = value >> 1;
            found.set(id, (found.get(id) || 0) | (value & 1));
          });
        }
      });
      return found;
    });
  }

  function filtered(kind, value) {
    return load("filters/" + kind + "/" + encodeURIComponent(value) + ".json").then(undelta);
  }

  function search(query, filters) {
    var terms = words(query).filter(function (w, i, all) { return all.indexOf(w) === i; });
    var kept = terms.filter(function (w) { return !common.has(w); });
    var last = terms[terms.length - 1];
    var lookups = kept.map(function (w) { return postings(w, w === last && !/\s$/.test(query)); });
    var filterLookups = filters.map(function (f) { return filtered(f[0], f[1]); });
    return Promise.all([Promise.all(lookups), Promise.all(filterLookups)]).then(function (found) {
      var score = null;
      found[0].forEach(function (hits) {
        var next = new Map();
        hits.forEach(function (title, id) {
          if (score === null || score.has(id)) next.set(id, (score ? score.get(id) : 0) + title);
        });
        score = next;
      });
      found[1].forEach(function (ids) {
        var next = new Map();
        ids.forEach(function (id) {
          if (score === null || score.has(id)) next.set(id, score ? score.get(id) : 0);
        });
        score = next;
      });
      if (score === null) return { ids: [], empty: terms.length === 0 };
      // Words in the title first, then newest first (lower numbers are newer).
      var ids = Array.from(score.keys()).sort(function (a, b) {
        return score.get(b) - score.get(a) || a - b;
      });
      return { ids: ids, empty: false };
    });
  }

  function doc(id) {
    return load("docs/" + Math.floor(id / meta.chunk) + ".json").then(function (docs) {
      return docs[id % meta.chunk];
    });
  }

  function item(entry) {
    var li = document.createElement("li");
    var heading = document.createElement("h2");
    var link = document.createElement("a");
    link.href = entry[0];
    link.textContent = entry[1];
    heading.appendChild(link);
    var text = document.createElement("p");
    var date = document.createElement("strong");
    date.textContent = entry[2];
    text.appendChild(date);
    text.appendChild(document.createTextNode(" · " + entry[3]));
    li.appendChild(heading);
    li.appendChild(text);
    return li;
  }

  function showMore() {
    var run = current.run;
    var next = current.ids.slice(current.shown, current.shown + PAGE);
    current.shown += next.length;
    return Promise.all(next.map(doc)).then(function (entries) {
      if (run !== current.run) return;
      entries.forEach(function (entry) { if (entry) list.appendChild(item(entry)); });
      more.hidden = current.shown >= current.ids.length;
    });
  }

  function state() {
    var filters = [];
    selects.forEach(function (select) {
      if (select.value) filters.push([select.dataset.filter, select.value]);
    });
    return { query: input.value, filters: filters };
  }

  function describe(query, filters) {
    var parts = [];
    if (query.trim()) parts.push("for “" + query.trim() + "”");
    filters.forEach(function (f) {
      var select = form.querySelector("select[data-filter='" + f[0] + "']");
      parts.push("in " + select.options[select.selectedIndex].text.replace(/ \(\d+\)$/, ""));
    });
    return parts.join(" ");
  }

  function run() {
    var s = state();
    var run = ++current.run;
    var params = new URLSearchParams();
    if (s.query) params.set("q", s.query);
    s.filters.forEach(function (f) { params.set(f[0], f[1]); });
    var url = window.location.pathname + (params.toString() ? "?" + params : "");
    window.history.replaceState(null, "", url);
    if (!s.query.trim() && !s.filters.length) {
      list.replaceChildren();
      more.hidden = true;
      status.textContent = "";
      return Promise.resolve();
    }
    status.textContent = "Searching…";
    return search(s.query, s.filters).then(function (result) {
      if (run !== current.run) return;
      current.ids = result.ids;
      current.shown = 0;
      list.replaceChildren();
      var n = result.ids.length;
      var about = describe(s.query, s.filters);
      if (result.empty) {
        status.textContent = "Type a word that is less common to search.";
      } else {
        status.textContent = (n === 1 ? "1 result " : n + " results ") + about;
      }
      return showMore();
    }).catch(function () {
      if (run === current.run) status.textContent = "Search is unavailable: its index could not be loaded.";
    });
  }

  function fill(select, values, chosen) {
    values.forEach(function (v) {
      var option = document.createElement("option");
      option.value = v[0];
      option.textContent = v[1] + " (" + v[2] + ")";
      option.selected = v[0] === chosen;
      select.appendChild(option);
    });
  }

  var timer;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(run, 200);
  });
  selects.forEach(function (select) { select.addEventListener("change", run); });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    run();
  });
  more.addEventListener("click", showMore);

  load("index.json").then(function (index) {
    meta = index;
    shards = new Set(index.shards);
    common = new Set(index.common);
    var params = new URLSearchParams(window.location.search);
    selects.forEach(function (select) {
      fill(select, index.filters[select.dataset.filter] || [], params.get(select.dataset.filter));
    });
    input.value = params.get("q") || "";
    form.hidden = false;
    if (input.value || Array.prototype.some.call(selects, function (s) { return s.value; })) run();
  }).catch(function () {
    status.textContent = "Search is unavailable: its index could not be loaded.";
  });
})();
