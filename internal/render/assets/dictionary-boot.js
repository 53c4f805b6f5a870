// Byline reader dictionary, bootstrap: shows the Dictionary button (its
// space is kept in the page, invisible, so showing it moves nothing) and
// loads the tool (dictionary.js, dictionary.css) only once it is on.
(function () {
  "use strict";
  var b = document.getElementById("dict-toggle"), K = "byline.dictionary", on = false, st = 0, q = [];
  if (!b || !document.getElementById("story-body") || !window.fetch) return;
  var m = document.cookie.match(/(?:^|; )byline_lang=([^;]*)/);
  if (/^ko/i.test(m ? m[1] : document.documentElement.lang || navigator.language || "")) b.textContent = "사전";
  b.removeAttribute("data-pending");
  function load(f) {
    if (st === 2) return f();
    q.push(f);
    if (st) return;
    st = 1;
    var l = document.createElement("link"), s = document.createElement("script");
    l.rel = "stylesheet"; l.href = b.getAttribute("data-css");
    s.src = b.getAttribute("data-js");
    s.onload = function () { st = 2; while (q.length) q.shift()(); };
    s.onerror = function () { st = 0; q = []; set(false); };
    document.head.appendChild(l); document.head.appendChild(s);
  }
  function set(v, user) {
    on = v;
    b.setAttribute("aria-pressed", v ? "true" : "false");
    try { localStorage.setItem(K, v ? "1" : "0"); } catch (e) {}
    if (v) load(function () { if (on) window.BylineDictionary.enable(b, user); });
    else if (window.BylineDictionary) window.BylineDictionary.disable();
  }
  b.addEventListener("click", function () { set(!on, true); });
  try { if (localStorage.getItem(K) === "1") set(true, false); } catch (e) {}
})();
