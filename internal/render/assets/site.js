// Byline reader script: small, no framework. Print buttons; loads the
// comments' script (#comments[data-js]) only when the comments come near
// the screen or are reached by keyboard or link, keeping it off the
// critical path. The comments are readable without it.
(function () {
  "use strict";
  var c = document.getElementById("comments"), src = c && c.getAttribute("data-js"), loaded = false;
  function loadComments() {
    if (loaded) return;
    loaded = true;
    var s = document.createElement("script");
    s.src = src;
    document.body.appendChild(s);
  }
  if (src) {
    if (/^#comment/.test(location.hash) || !("IntersectionObserver" in window)) {
      loadComments();
    } else {
      var io = new IntersectionObserver(function (es) {
        for (var i = 0; i < es.length; i++) {
          if (es[i].isIntersecting) { io.disconnect(); loadComments(); return; }
        }
      }, { rootMargin: "600px 0px" });
      io.observe(c);
      c.addEventListener("focusin", loadComments);
      window.addEventListener("hashchange", function () { if (/^#comment/.test(location.hash)) loadComments(); });
    }
  }
  document.addEventListener("click", function (e) {
    var t = e.target.closest ? e.target.closest("[data-print-now]") : null;
    if (t) { e.preventDefault(); window.print(); }
  });
  // The print view opened with #print prints itself once.
  if (document.body.classList.contains("print-view") && location.hash === "#print") {
    window.addEventListener("load", function () { window.print(); });
  }
})();

// Embeds (see internal/markup): the page holds a plain link to the
// provider; no request reaches the provider until the reader presses the
// button added here, which swaps in the provider's privacy-enhanced player.
(function () {
  "use strict";
  if (document.body.classList.contains("print-view")) return;
  var boxes = document.querySelectorAll(".embed-box[data-embed-frame]");
  for (var i = 0; i < boxes.length; i++) {
    (function (box) {
      var src = box.getAttribute("data-embed-frame");
      if (src.indexOf("https://") !== 0) return;
      var name = box.getAttribute("data-embed-name") || "the provider";
      var title = box.getAttribute("data-embed-title") || name;
      var host = src.split("/")[2];
      var b = document.createElement("button");
      b.type = "button";
      b.className = "embed-load";
      b.textContent = "Load " + title + " from " + name;
      var note = document.createElement("p");
      note.className = "embed-note";
      note.textContent = "Loading it connects to " + host + ".";
      box.insertBefore(note, box.firstChild);
      box.insertBefore(b, note);
      b.addEventListener("click", function () {
        var f = document.createElement("iframe");
        f.src = src;
        f.title = title;
        f.setAttribute("allow", "fullscreen; picture-in-picture; encrypted-media");
        f.setAttribute("allowfullscreen", "");
        f.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
        f.className = "embed-frame";
        box.textContent = "";
        box.appendChild(f);
        box.classList.add("embed-loaded");
        f.focus();
      });
    })(boxes[i]);
  }
})();
