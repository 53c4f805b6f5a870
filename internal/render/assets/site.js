// Byline reader script: small, no framework. Print buttons.
(function () {
  "use strict";
  document.addEventListener("click", function (e) {
    var t = e.target.closest ? e.target.closest("[data-print-now]") : null;
    if (t) { e.preventDefault(); window.print(); }
  });
  // The print view opened with #print prints itself once.
  if (document.body.classList.contains("print-view") && location.hash === "#print") {
    window.addEventListener("load", function () { window.print(); });
  }
})();
