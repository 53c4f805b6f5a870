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
