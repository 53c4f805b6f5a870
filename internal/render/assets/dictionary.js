// Byline reader dictionary: with the Dictionary button on, a double-click,
// a tap, or a selection and Enter on a word of the article body opens a
// small card with its base form, part of speech, definitions, examples,
// synonyms, the newsroom glossary's entry and translations. No framework,
// no build step; loaded by dictionary-boot.js on first use. Every text
// from the server goes into the page with textContent, never as HTML.
(function () {
  "use strict";
  var T = {
    en: {
      on: "Dictionary on. Double-click or tap a word in the article, or select one and press Enter.",
      off: "Dictionary off.", close: "Close", lookup: "Look up a word", go: "Look up",
      loading: "Looking up…", glossary: "From our glossary", translations: "Translations",
      synonyms: "Synonyms", none: "No dictionary entry for “%s”.", mean: "Did you mean",
      failed: "The dictionary could not be reached. Please try again.", more: "more senses",
      found: "%s: %n entries. Press Escape to close.",
      hintTouch: "Double-tap or select a word to look it up.",
      hintMouse: "Double-click or select a word to look it up.",
      pos: { noun: "noun", verb: "verb", adjective: "adjective", adverb: "adverb" }
    },
    ko: {
      on: "사전이 켜졌습니다. 기사 본문의 단어를 두 번 누르거나 탭하세요. 단어를 선택하고 Enter 키를 눌러도 됩니다.",
      off: "사전이 꺼졌습니다.", close: "닫기", lookup: "단어 찾기", go: "찾기",
      loading: "찾는 중…", glossary: "편집국 용어집", translations: "번역",
      synonyms: "동의어", none: "“%s”에 대한 사전 항목이 없습니다.", mean: "혹시 이 단어인가요",
      failed: "사전에 연결하지 못했습니다. 다시 시도해 주세요.", more: "개의 뜻 더 있음",
      found: "%s: 항목 %n개. 닫으려면 Escape 키를 누르세요.",
      hintTouch: "단어를 두 번 탭하거나 선택하면 뜻이 나옵니다.",
      hintMouse: "단어를 더블클릭하거나 선택하면 뜻이 나옵니다.",
      pos: { noun: "명사", verb: "동사", adjective: "형용사", adverb: "부사" }
    }
  };
  var L = T.en, lastRect, body, layer, card, live, form, toggle, prevFocus, reqSeq = 0, answers = {}, touch = null, enabled = false, hint, hintTimer;

  function lang() {
    var m = document.cookie.match(/(?:^|; )byline_lang=([^;]*)/);
    var l = m ? decodeURIComponent(m[1]) : document.documentElement.lang || navigator.language || "en";
    return /^ko/i.test(l) ? "ko" : "en";
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  function say(s) {
    live.textContent = "";
    setTimeout(function () { live.textContent = s; }, 50);
  }

  // ---- finding the word and its sentence ----
  var wordRe = /[\p{L}\p{M}\p{N}'’\-]/u;
  function inBody(node) { return node && body.contains(node.nodeType === 1 ? node : node.parentNode); }
  function block(node) {
    var n = node.nodeType === 1 ? node : node.parentNode;
    while (n && n !== body && !/^(P|LI|BLOCKQUOTE|H[1-6]|DD|DT|TD|TH|FIGCAPTION)$/.test(n.nodeName)) n = n.parentNode;
    return n || body;
  }
  // sentence returns the sentence of the block around range's start.
  function sentence(range) {
    var b = block(range.startContainer), pre = document.createRange();
    pre.selectNodeContents(b);
    pre.setEnd(range.startContainer, range.startOffset);
    var text = b.textContent, at = pre.toString().length, end = at + range.toString().length;
    var s = text.lastIndexOf(". ", at - 1), e = text.slice(end).search(/[.!?](\s|$)/);
    s = s < 0 ? 0 : s + 2;
    e = e < 0 ? text.length : end + e + 1;
    if (at - s > 250) s = at - 250;
    if (e - end > 250) e = end + 250;
    return text.slice(s, e).replace(/\s+/g, " ").trim();
  }
  // paragraph returns the text around range's sentence, which the
  // ranking of senses reads at a lower weight: its block, and when that
  // is short (a news paragraph is often one sentence) the blocks before
  // and after it, at most 1,500 characters around the selection.
  function paragraph(range) {
    var b = block(range.startContainer), parts = [b.textContent];
    if (b !== body && b.textContent.length < 400) {
      var prev = b.previousElementSibling, next = b.nextElementSibling;
      if (prev && /^(P|LI|BLOCKQUOTE)$/.test(prev.nodeName)) parts.unshift(prev.textContent);
      if (next && /^(P|LI|BLOCKQUOTE)$/.test(next.nodeName)) parts.push(next.textContent);
    }
    var text = parts.join(" ").replace(/\s+/g, " ").trim();
    if (text.length > 1500) {
      var at = Math.max(0, text.indexOf(range.toString().replace(/\s+/g, " ").trim()));
      var s = Math.max(0, Math.min(at - 750, text.length - 1500));
      text = text.slice(s, s + 1500);
    }
    return text;
  }
  // section returns the article's section, parents first ("Business /
  // Finance"), as the page gives it on the Dictionary button.
  function section() { return (toggle && toggle.getAttribute("data-section")) || ""; }
  // wordRange widens a caret position to the word around it.
  function wordRange(node, off) {
    if (!node || node.nodeType !== 3) return null;
    var t = node.data, s = off, e = off;
    while (s > 0 && wordRe.test(t[s - 1])) s--;
    while (e < t.length && wordRe.test(t[e])) e++;
    while (s < e && /['’\-]/.test(t[s])) s++;
    while (e > s && /['’\-]/.test(t[e - 1])) e--;
    if (s === e) return null;
    var r = document.createRange();
    r.setStart(node, s); r.setEnd(node, e);
    return r;
  }
  function caretAt(x, y) {
    if (document.caretPositionFromPoint) {
      var p = document.caretPositionFromPoint(x, y);
      return p && { node: p.offsetNode, off: p.offset };
    }
    if (document.caretRangeFromPoint) {
      var r = document.caretRangeFromPoint(x, y);
      return r && { node: r.startContainer, off: r.startOffset };
    }
    return null;
  }
  function selectionRange() {
    var sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
    var r = sel.getRangeAt(0);
    if (!inBody(r.commonAncestorContainer)) return null;
    return r;
  }
  function lookRange(r) {
    var text = r.toString().replace(/\s+/g, " ").trim();
    if (!text || text.length > 80 || text.split(" ").length > 5 || !/[\p{L}\p{N}]/u.test(text)) return;
    open(text, sentence(r), r.getBoundingClientRect(), document.activeElement, false, paragraph(r));
  }

  // ---- events ----
  function onDblClick(e) {
    if (!inBody(e.target)) return;
    var r = selectionRange();
    if (r) lookRange(r);
  }
  function onTouchStart(e) {
    var t = e.touches[0];
    touch = e.touches.length === 1 ? { x: t.clientX, y: t.clientY, at: Date.now() } : null;
  }
  function onTouchEnd(e) {
    var t = e.changedTouches[0], s = touch;
    touch = null;
    if (!s || !inBody(e.target) || e.target.closest("a,button,input,textarea,select")) return;
    if (Math.abs(t.clientX - s.x) > 10 || Math.abs(t.clientY - s.y) > 10 || Date.now() - s.at > 600) return;
    if (selectionRange()) return; // the reader is selecting: wait for Enter or a double tap
    var c = caretAt(t.clientX, t.clientY), r = c && wordRange(c.node, c.off);
    if (!r || !inBody(r.startContainer)) return;
    var sel = window.getSelection();
    sel.removeAllRanges(); sel.addRange(r);
    lookRange(r);
  }
  function onKey(e) {
    if (card && !card.hidden) {
      if (e.key === "Escape") { e.preventDefault(); close(true); return; }
      if (e.key === "Tab" && card.contains(document.activeElement)) trapTab(e);
      return;
    }
    if (e.key !== "Enter" || e.altKey || e.ctrlKey || e.metaKey) return;
    var a = document.activeElement;
    if (a && a !== document.body && a !== body && a.closest("input,textarea,select,button,a,[contenteditable]")) return;
    var r = selectionRange();
    if (r) { e.preventDefault(); lookRange(r); }
  }
  function onPointerDown(e) {
    if (card && !card.hidden && !card.contains(e.target)) close(false);
  }
  function trapTab(e) {
    var f = card.querySelectorAll("button,a[href]");
    if (!f.length) return;
    var first = f[0], last = f[f.length - 1];
    if (e.shiftKey && (document.activeElement === first || document.activeElement === card)) { e.preventDefault(); last.focus(); }
    else if (!e.shiftKey && document.activeElement === last) { e.preventDefault(); first.focus(); }
  }

  // ---- the card ----
  function build() {
    var main = document.getElementById("main") || document.body;
    layer = el("div", "dict-layer");
    live = el("div", "visually-hidden");
    live.setAttribute("aria-live", "polite");
    card = el("div", "dict-card");
    card.id = "dict-card";
    card.setAttribute("role", "dialog");
    card.setAttribute("aria-labelledby", "dict-card-h");
    card.tabIndex = -1;
    card.hidden = true;
    layer.appendChild(card);
    main.appendChild(layer);
    main.appendChild(live);
    form = el("form", "dict-form");
    form.setAttribute("role", "search");
    var lab = el("label", null, L.lookup), inp = el("input"), btn = el("button", null, L.go);
    inp.id = "dict-q"; inp.type = "search"; inp.maxLength = 80; inp.autocomplete = "off"; inp.spellcheck = false;
    lab.htmlFor = "dict-q";
    btn.type = "submit";
    form.appendChild(lab); form.appendChild(inp); form.appendChild(btn);
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var w = inp.value.trim();
      if (w) open(w, "", inp.getBoundingClientRect(), inp);
    });
  }
  function place(rect) {
    var lr = layer.getBoundingClientRect(), vw = document.documentElement.clientWidth, vh = window.innerHeight;
    card.style.visibility = "hidden";
    card.style.maxHeight = "";
    card.hidden = false;
    var below = vh - rect.bottom - 16, above = rect.top - 16;
    var w = card.offsetWidth, h = card.offsetHeight;
    var left = Math.max(8, Math.min(rect.left, vw - w - 8));
    var top = rect.bottom + 8;
    if (h > below && above > below) {
      if (h > above) { card.style.maxHeight = Math.max(120, above) + "px"; h = card.offsetHeight; }
      top = rect.top - h - 8;
    } else if (h > below) {
      card.style.maxHeight = Math.max(120, below) + "px";
    }
    card.style.left = (left - lr.left) + "px";
    card.style.top = (top - lr.top) + "px";
    card.style.visibility = "";
  }
  function head(title, pos) {
    card.textContent = "";
    var hd = el("div", "dict-head"), h = el("h2", "dict-lemma", title);
    h.id = "dict-card-h";
    h.lang = "en";
    hd.appendChild(h);
    if (pos) hd.appendChild(el("span", "dict-pos", pos));
    var x = el("button", "dict-close", "×");
    x.type = "button";
    x.setAttribute("aria-label", L.close);
    x.addEventListener("click", function () { close(true); });
    hd.appendChild(x);
    card.appendChild(hd);
  }
  function posName(p) { return L.pos[p] || p || ""; }
  function render(a, status, query) {
    var first = a.glossary && a.glossary[0], e0 = a.entries && a.entries[0];
    head(first ? first.display : e0 ? e0.lemma : a.query || query, first ? first.pos : e0 ? posName(e0.pos) : "");
    var n = 0;
    if (a.glossary && a.glossary.length) {
      var g = el("section", "dict-glossary");
      g.appendChild(el("p", "dict-label", L.glossary));
      a.glossary.forEach(function (x, i) {
        if (i > 0 || !first) g.appendChild(el("p", "dict-term", x.display + (x.pos ? " · " + x.pos : "")));
        g.appendChild(el("p", "dict-def", x.definition));
        if (x.korean) { var k = el("p", "dict-ko", x.korean); k.lang = "ko"; g.appendChild(k); }
        if (x.note) g.appendChild(el("p", "dict-note", x.note));
        (x.links || []).forEach(function (u) {
          if (!/^(https?:\/\/|\/(?!\/))/i.test(u)) return;
          var l = el("a", "dict-link", u.replace(/^https?:\/\//, "").slice(0, 60));
          l.href = u; l.rel = "noopener";
          g.appendChild(l);
        });
        n++;
      });
      card.appendChild(g);
    }
    (a.entries || []).slice(0, 3).forEach(function (e, i) {
      var s = el("section", "dict-entry");
      if (i > 0 || first) {
        var t = el("p", "dict-term", e.lemma + " · " + posName(e.pos));
        t.lang = "en";
        s.appendChild(t);
      }
      var ol = el("ol", "dict-senses");
      ol.lang = "en";
      e.senses.slice(0, 3).forEach(function (x) {
        var li = el("li", null, x.definition);
        if (x.examples && x.examples[0]) li.appendChild(el("span", "dict-ex", "“" + x.examples[0] + "”"));
        if (x.synonyms && x.synonyms.length) li.appendChild(el("span", "dict-syn", L.synonyms + ": " + x.synonyms.slice(0, 5).join(", ")));
        ol.appendChild(li);
      });
      s.appendChild(ol);
      var more = e.senses.length - 3 + (e.more_senses || 0);
      if (more > 0) s.appendChild(el("p", "dict-more", "+" + more + " " + L.more));
      card.appendChild(s);
      n++;
    });
    if (a.bilingual && a.bilingual.length) {
      var b = el("section", "dict-bilingual");
      b.appendChild(el("p", "dict-label", L.translations));
      var ul = el("ul");
      a.bilingual.forEach(function (x) {
        var li = el("li"), hw = el("span", "dict-hw", x.headword), tr = el("span", "dict-tr", x.translation);
        hw.lang = "en";
        tr.lang = /[\uac00-\ud7a3]/.test(x.translation) ? "ko" : "";
        li.appendChild(hw); li.appendChild(document.createTextNode(" — ")); li.appendChild(tr);
        if (x.note) li.appendChild(el("span", "dict-note", " (" + x.note + ")"));
        li.appendChild(el("span", "dict-src", x.dictionary));
        ul.appendChild(li);
        n++;
      });
      b.appendChild(ul);
      card.appendChild(b);
    }
    if (!n) {
      card.appendChild(el("p", "dict-none", status === 404 || status === 400 ? (a.error && status === 400 ? a.error.message : L.none.replace("%s", a.query || query)) : L.failed));
      if (a.suggestions && a.suggestions.length) {
        var p = el("p", "dict-suggest", L.mean + ": ");
        a.suggestions.slice(0, 5).forEach(function (w, i) {
          if (i) p.appendChild(document.createTextNode(", "));
          var sb = el("button", "dict-sugg", w);
          sb.type = "button";
          sb.lang = "en";
          sb.addEventListener("click", function () { open(w, "", lastRect, prevFocus, true); });
          p.appendChild(sb);
        });
        p.appendChild(document.createTextNode("?"));
        card.appendChild(p);
      }
    }
    return n;
  }

  // The hint that says what to do once the tool is on: fixed to the
  // bottom of the window, over the page, so showing it moves nothing. It
  // goes with the first look-up, after a few seconds, or with the tool.
  // Screen readers hear the same from the live region (L.on), so it is
  // hidden from them.
  function showHint() {
    if (!hint) {
      hint = el("p", "dict-hint");
      hint.setAttribute("aria-hidden", "true");
      document.body.appendChild(hint);
    }
    var coarse = window.matchMedia && window.matchMedia("(pointer: coarse)").matches;
    hint.textContent = coarse ? L.hintTouch : L.hintMouse;
    hint.hidden = false;
    clearTimeout(hintTimer);
    hintTimer = setTimeout(hideHint, 8000);
  }
  function hideHint() {
    clearTimeout(hintTimer);
    if (hint) hint.hidden = true;
  }

  function open(word, context, rect, from, keepFocus, para) {
    hideHint();
    if (!keepFocus) prevFocus = from && from !== document.body ? from : null;
    var sec = context ? section() : "";
    if (!context || para === context) para = "";
    var key = word + "\u0000" + context + "\u0000" + (para || "") + "\u0000" + sec, seq = ++reqSeq;
    lastRect = rect;
    head(word, "");
    card.appendChild(el("p", "dict-loading", L.loading));
    card.setAttribute("aria-busy", "true");
    place(rect);
    card.focus({ preventScroll: true });
    var done = function (r) {
      if (seq !== reqSeq || card.hidden) return;
      card.removeAttribute("aria-busy");
      var n = render(r.a, r.status, word);
      place(rect);
      say(n ? L.found.replace("%s", card.querySelector("#dict-card-h").textContent).replace("%n", n) : card.querySelector(".dict-none").textContent);
    };
    if (answers[key]) return done(answers[key]);
    var url = "/api/dictionary?word=" + encodeURIComponent(word) + (context ? "&context=" + encodeURIComponent(context) : "") +
      (para ? "&para=" + encodeURIComponent(para) : "") + (sec ? "&section=" + encodeURIComponent(sec) : "");
    fetch(url, { credentials: "omit", headers: { Accept: "application/json" } }).then(function (res) {
      return res.json().then(function (a) { return { a: a, status: res.status }; });
    }).then(function (r) {
      if (r.status < 500) answers[key] = r;
      done(r);
    }).catch(function () { done({ a: { query: word }, status: 0 }); });
  }

  function close(restore) {
    if (!card || card.hidden) return;
    reqSeq++;
    card.hidden = true;
    card.textContent = "";
    if (!restore) return;
    var to = prevFocus && document.contains(prevFocus) ? prevFocus : body;
    if (to === body && !body.hasAttribute("tabindex")) body.setAttribute("tabindex", "-1");
    to.focus({ preventScroll: true });
  }

  // ---- glossary terms: the first use of each is underlined while the
  // tool is on (in this browser only; the page itself never changes) ----
  var marked = [];
  function esc(t) { return t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/'/g, "['’]").replace(/ /g, "\\s+"); }
  function mark(terms) {
    if (!enabled || !terms.length) return;
    var re = new RegExp("(^|[^\\p{L}\\p{N}])(" + terms.map(esc).join("|") + ")(?![\\p{L}\\p{N}])", "giu"), seen = {};
    var walk = document.createTreeWalker(body, NodeFilter.SHOW_TEXT, {
      acceptNode: function (n) { return n.parentNode.closest("a,.dict-gl,script,style") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT; }
    });
    var nodes = [], n;
    while ((n = walk.nextNode())) nodes.push(n);
    nodes.forEach(function (node) {
      var m, hits = [];
      re.lastIndex = 0;
      while ((m = re.exec(node.data))) {
        var key = m[2].toLowerCase().replace(/\s+/g, " ").replace(/’/g, "'");
        if (!seen[key]) { seen[key] = true; hits.push([m.index + m[1].length, m[2].length]); }
      }
      for (var i = hits.length - 1; i >= 0; i--) {
        var word = node.splitText(hits[i][0]), span = el("span", "dict-gl");
        word.splitText(hits[i][1]);
        word.parentNode.replaceChild(span, word);
        span.appendChild(word);
        marked.push(span);
      }
    });
  }
  function unmark() {
    marked.forEach(function (sp) {
      var p = sp.parentNode;
      if (!p) return;
      while (sp.firstChild) p.insertBefore(sp.firstChild, sp);
      p.removeChild(sp);
      p.normalize();
    });
    marked = [];
  }
  var termsList = null;
  function loadTerms() {
    if (termsList) return mark(termsList);
    fetch("/api/dictionary/terms", { credentials: "omit" }).then(function (r) { return r.ok ? r.json() : { terms: [] }; })
      .then(function (j) { termsList = j.terms || []; mark(termsList); }).catch(function () {});
  }
  function onClick(e) {
    var t = e.target.closest && e.target.closest(".dict-gl");
    if (!t || !body.contains(t)) return;
    var r = document.createRange();
    r.selectNodeContents(t);
    lookRange(r);
  }

  window.BylineDictionary = {
    enable: function (btn, user) {
      if (enabled) return;
      enabled = true;
      toggle = btn;
      body = document.getElementById("story-body");
      if (!body) return;
      L = T[lang()];
      if (!card) build();
      var bar = btn.closest(".toolbar") || btn;
      bar.parentNode.insertBefore(form, bar.nextSibling);
      form.hidden = false;
      body.classList.add("dict-on");
      body.addEventListener("dblclick", onDblClick);
      body.addEventListener("click", onClick);
      loadTerms();
      body.addEventListener("touchstart", onTouchStart, { passive: true });
      body.addEventListener("touchend", onTouchEnd);
      document.addEventListener("keydown", onKey);
      document.addEventListener("pointerdown", onPointerDown, true);
      if (user) { say(L.on); showHint(); }
    },
    disable: function () {
      if (!enabled) return;
      enabled = false;
      close(false);
      form.hidden = true;
      body.classList.remove("dict-on");
      body.removeEventListener("dblclick", onDblClick);
      body.removeEventListener("click", onClick);
      unmark();
      body.removeEventListener("touchstart", onTouchStart);
      body.removeEventListener("touchend", onTouchEnd);
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("pointerdown", onPointerDown, true);
      hideHint();
      say(L.off);
    },
    lookup: function (word, context) { open(word, context || "", body.getBoundingClientRect(), document.activeElement); }
  };
})();
