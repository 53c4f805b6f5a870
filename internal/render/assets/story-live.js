// Live coverage of a running story: small, no framework, loaded (deferred)
// only on live story pages and their member articles. A Server-Sent Events
// stream says "the story changed"; the script then fetches the entries
// published after its cursor, drawn by the server, and puts them at the top
// of the list. Where streams are unavailable or keep failing it fetches
// every 5 seconds instead. Without script the page is complete as served.
(function () {
  "use strict";
  var POLL = 5000;
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
          return r.text().then(function (html) {
            if (n > 0 && html) {
              list.insertAdjacentHTML("afterbegin", html);
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
