// Newsroom helpers: live preview and autosave of the article editor.
// No inline scripts: the CSP allows only files like this one.
(function () {
  "use strict";
  var form = document.getElementById("edit-form");
  if (!form) return;
  var csrf = form.querySelector("input[name=csrf]").value;
  var frame = document.getElementById("preview");
  var status = document.getElementById("autosave-status");
  var previewBtn = document.getElementById("preview-button");

  // Sent URL-encoded, like the form itself (FormData alone would be
  // multipart).
  function fields() {
    var fd = new FormData(form);
    fd.delete("action");
    return new URLSearchParams(fd);
  }

  var previewTimer = null;
  function preview() {
    if (!frame || !previewBtn) return;
    fetch(previewBtn.dataset.preview, { method: "POST", body: fields(), credentials: "same-origin", headers: { "X-CSRF-Token": csrf } })
      .then(function (r) { return r.text(); })
      .then(function (html) { frame.srcdoc = html; })
      .catch(function () {});
  }
  if (previewBtn) previewBtn.addEventListener("click", preview);
  form.addEventListener("input", function () {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(preview, 800);
    dirty = true;
  });
  preview();

  // Autosave drafts every 10 s when something changed. The server checks
  // the version, so two people never overwrite each other silently.
  var url = form.dataset.autosave;
  var dirty = false, saving = false;
  if (!url) return;
  setInterval(function () {
    if (!dirty || saving) return;
    saving = true;
    dirty = false;
    var fd = fields();
    fetch(url, { method: "POST", body: fd, credentials: "same-origin", headers: { "X-CSRF-Token": csrf, "Accept": "application/json" } })
      .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, status: r.status, body: j }; }); })
      .then(function (res) {
        if (res.ok) {
          document.getElementById("version").value = res.body.version;
          var vl = document.getElementById("version-label");
          if (vl) vl.textContent = res.body.version;
          status.textContent = "Draft saved at " + new Date().toLocaleTimeString();
        } else if (res.status === 409) {
          status.textContent = "Not saved: someone else changed this article. Press Save to see the differences.";
        } else {
          status.textContent = "Not saved: " + ((res.body.error && res.body.error.message) || res.status);
          dirty = true;
        }
      })
      .catch(function () { status.textContent = "Not saved: no connection."; dirty = true; })
      .finally(function () { saving = false; });
  }, 10000);
})();
