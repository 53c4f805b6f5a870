// Live coverage of a running story: small, no framework, loaded (deferred)
// only on live story pages and their member articles. A Server-Sent Events
// stream says "the story changed"; the script then fetches what changed
// after its cursor, drawn by the server: new entries go at the top of the
// list, edited ones (a pin included) replace theirs, removed ones go; pinned
// ones are shown in full in the "Pinned" list. Where streams are
// unavailable or keep failing it fetches every 5 seconds instead. Without
// script the page is complete as served.
(function () {
  "use strict";
  var POLL = 5000;
  function when(li) {
    var t = li.querySelector("time");
    return (t && Date.parse(t.getAttribute("datetime"))) || 0;
  }
  function start(el) {
    var list = el.querySelector("[data-story-list]") || (el.parentElement && el.parentElement.querySelector("[data-story-list]"));
    var status = el.querySelector(".rs-live-status");
    var since = el.getAttribute("data-since"), view = el.getAttribute("data-view") || "page";
    var updates = el.getAttribute("data-updates"), busy = false, again = false, added = 0, timer = null;
    if (!list || !updates) return;
    function fetchNew() {
      if (busy) { again = true; return; }
      busy = true;
      fetch(updates + "?since=" + encodeURIComponent(since) + "&view=" + view, { cache: "no-store", credentials: "omit" })
        .then(function (r) {
          if (!r.ok) throw new Error("status " + r.status);
          var next = r.headers.get("X-Story-Cursor"), n = parseInt(r.headers.get("X-Story-Count") || "0", 10);
          var removed = (r.headers.get("X-Story-Removed") || "").split(",");
          return r.text().then(function (html) {
            var scope = view === "box" ? el : document, i, j;
            // Entries removed since: gone from every list of the page.
            for (i = 0; i < removed.length; i++) {
              if (!/^[0-9]+$/.test(removed[i])) continue;
              var gone = scope.querySelectorAll('[data-entry="' + removed[i] + '"]');
              for (j = 0; j < gone.length; j++) gone[j].parentNode.removeChild(gone[j]);
            }
            var t = document.createElement("template");
            t.innerHTML = html;
            // Pinned entries, in full: the page's "Pinned" list follows
            // (shown while it holds one, hidden when the last is unpinned).
            var pinSec = view === "page" && document.querySelector(".rs-pinned-list");
            var pinList = pinSec && pinSec.querySelector("ul");
            var keyList = view === "page" && document.querySelector(".rs-keys ul");
            var briefs = t.content.querySelectorAll("li[data-pin-entry]");
            var items = t.content.querySelectorAll("li[data-entry]"), fresh = [];
            for (i = 0; i < items.length; i++) {
              var id = items[i].getAttribute("data-entry");
              if (pinList) {
                var old = pinList.querySelector('[data-entry="' + id + '"]');
                if (old) pinList.removeChild(old);
              }
              // The first n are new; the rest were edited: they replace
              // theirs where shown (an edit elsewhere adds nothing here).
              var shown = list.querySelector('li[data-entry="' + id + '"]');
              if (shown) list.replaceChild(items[i], shown);
              else if (i < n) fresh.push(items[i]);
            }
            for (i = 0; pinList && i < briefs.length; i++) {
              var pid = briefs[i].getAttribute("data-pin-entry");
              briefs[i].setAttribute("data-entry", pid);
              briefs[i].removeAttribute("data-pin-entry");
              // Newest event first, as the server orders them.
              var at = when(briefs[i]), before = null;
              for (j = 0; j < pinList.children.length; j++) {
                if (when(pinList.children[j]) < at) { before = pinList.children[j]; break; }
              }
              pinList.insertBefore(briefs[i], before);
              // A pinned entry is read at the top, not among the key events.
              var key = keyList && keyList.querySelector('[data-entry="' + pid + '"]');
              if (key) keyList.removeChild(key);
            }
            if (pinSec) pinSec.hidden = !pinList.children.length;
            for (i = fresh.length - 1; i >= 0; i--) list.insertBefore(fresh[i], list.firstChild);
            if (n > 0) {
              added += n;
              if (view === "box") {
                while (list.children.length > 5) list.removeChild(list.lastElementChild);
              }
              var empty = list.parentElement && list.parentElement.querySelector(".empty");
              if (empty) empty.parentElement.removeChild(empty);
              if (status) status.textContent = added + (added === 1 ? " new entry" : " new entries") + " since you opened this page.";
            }
            if (next) since = next;
          });
        })
        .catch(function () {})
        .then(function () {
          busy = false;
          if (again) { again = false; fetchNew(); }
        });
    }
    function poll() {
      el.setAttribute("data-live-state", "polling");
      if (timer) return;
      timer = setInterval(fetchNew, POLL);
    }
    if (!window.EventSource) { poll(); return; }
    var es = new EventSource(el.getAttribute("data-stream"));
    es.addEventListener("entry", fetchNew);
    es.addEventListener("open", function () {
      el.setAttribute("data-live-state", "open");
      // Entries may have come between the page's render and now (or
      // during a reconnect): catch up.
      fetchNew();
    });
    es.addEventListener("error", function () {
      if (es.readyState === EventSource.CLOSED) { poll(); }
    });
  }
  var els = document.querySelectorAll("[data-story-live]");
  for (var i = 0; i < els.length; i++) start(els[i]);
})();
