// The editor's upload box: an image dropped on it (or on the body),
// pasted into the editor, or chosen is uploaded to the media library
// (POST /admin/media.json) with the alt text, caption and credit typed in
// the box, then becomes the lead image or goes into the body at the
// cursor. Without this script the box's button sends the whole editor form
// with the file and saves (media.Handlers.EditorUpload).
(function () {
  "use strict";
  var box = document.querySelector("[data-media-upload]");
  if (!box) return;
  var form = box.closest("form");
  var input = document.getElementById("upload_file");
  var button = box.querySelector("[data-upload-button]");
  var status = box.querySelector("[data-upload-status]");
  var preview = document.createElement("img");
  var zone = box.querySelector("[data-drop-zone]");
  preview.className = "upload-preview";
  preview.alt = "";
  preview.hidden = true;
  zone.appendChild(preview);
  var alt = document.getElementById("upload_alt");
  var caption = document.getElementById("upload_caption");
  var credit = document.getElementById("upload_credit");
  var body = document.getElementById("body");
  var csrf = form.querySelector("input[name=csrf]").value;
  var file = null;
  var busy = false;
  var cursor = null; // the body's selection when it last had focus

  // The form's own saves (and autosave) never send the file: the upload
  // happens here, at once.
  input.removeAttribute("name");
  button.type = "button";
  button.removeAttribute("name");
  button.removeAttribute("value");
  button.removeAttribute("formenctype");
  button.textContent = "Upload";
  box.classList.add("js");

  function say(msg, bad) {
    status.textContent = msg;
    status.classList.toggle("error", !!bad);
  }

  function take(f, how) {
    if (!f) return;
    if (!/^image\/(jpeg|png|webp|gif)$/.test(f.type)) {
      say("“" + (f.name || "The file") + "” is not a JPEG, PNG, WebP or GIF image.", true);
      return;
    }
    file = f;
    var rd = new FileReader();
    rd.onload = function () { preview.src = rd.result; preview.hidden = false; };
    rd.readAsDataURL(f);
    say((f.name && f.name !== "image.png" ? "“" + f.name + "”" : "The image") + " is " + how + ". Describe it in the alt text, then press Upload.");
    alt.focus();
  }

  function set(id, v) {
    var el = document.getElementById(id);
    if (!el) return;
    el.value = v || "";
    el.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function where() {
    var r = form.querySelector("input[name=upload_use]:checked");
    return r ? r.value : "lead";
  }

  function use(item) {
    var img = item.image || item;
    if (where() === "body" && body) {
      var v = body.value;
      var start = cursor ? cursor[0] : v.length, end = cursor ? cursor[1] : v.length;
      var before = v.slice(0, start), after = v.slice(end);
      var pre = before === "" || /\n\n$/.test(before) ? "" : (/\n$/.test(before) ? "\n" : "\n\n");
      var post = after === "" || /^\n\n/.test(after) ? "" : (/^\n/.test(after) ? "\n" : "\n\n");
      body.value = before + pre + item.markdown + post + after;
      var at = (before + pre + item.markdown).length;
      cursor = [at, at];
      body.dispatchEvent(new Event("input", { bubbles: true }));
      say("Uploaded and placed in the body: " + img.alt + ". Save to keep it.");
    } else {
      set("image_url", img.url);
      set("image_alt", img.alt);
      set("image_caption", img.caption);
      set("image_credit", img.credit);
      say("Uploaded; it is the lead image now: " + img.alt + ". Save to keep it.");
    }
    file = null;
    input.value = "";
    alt.value = caption.value = credit.value = "";
    preview.hidden = true;
    preview.removeAttribute("src");
  }

  function upload() {
    if (busy) return;
    if (!file && input.files && input.files[0]) file = input.files[0];
    if (!file) { say("Choose, drop or paste an image first.", true); input.focus(); return; }
    if (!alt.value.trim()) { say("Alt text is required: describe what the image shows.", true); alt.focus(); return; }
    var fd = new FormData();
    fd.append("alt", alt.value);
    fd.append("caption", caption.value);
    fd.append("credit", credit.value);
    fd.append("file", file, file.name || "pasted-image");
    busy = true;
    button.disabled = true;
    say("Uploading…");
    fetch(box.dataset.mediaUpload, { method: "POST", body: fd, credentials: "same-origin", headers: { "X-CSRF-Token": csrf, "Accept": "application/json" } })
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (j) { return { ok: r.ok, status: r.status, body: j }; });
      })
      .then(function (res) {
        if (!res.ok) {
          say("Not uploaded: " + ((res.body.error && res.body.error.message) || "the server answered " + res.status) + ".", true);
          return;
        }
        use(res.body);
      })
      .catch(function () { say("Not uploaded: the server could not be reached.", true); })
      .finally(function () { busy = false; button.disabled = false; });
  }

  function imageOf(list) {
    for (var i = 0; list && i < list.length; i++) {
      var f = list[i].getAsFile ? (list[i].kind === "file" ? list[i].getAsFile() : null) : list[i];
      if (f && /^image\//.test(f.type)) return f;
    }
    return null;
  }

  input.addEventListener("change", function () { take(input.files[0], "chosen"); });
  button.addEventListener("click", upload);
  [alt, caption, credit].forEach(function (el) {
    el.addEventListener("keydown", function (e) {
      if (e.key === "Enter") { e.preventDefault(); upload(); }
    });
  });
  zone.addEventListener("dragover", function (e) { e.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", function () { zone.classList.remove("over"); });
  zone.addEventListener("drop", function (e) {
    e.preventDefault();
    zone.classList.remove("over");
    var f = imageOf(e.dataTransfer && e.dataTransfer.files);
    if (f) take(f, "dropped");
    else say("Drop an image file (JPEG, PNG, WebP or GIF).", true);
  });
  if (body) {
    var keep = function () { cursor = [body.selectionStart, body.selectionEnd]; };
    ["keyup", "click", "select", "blur"].forEach(function (ev) { body.addEventListener(ev, keep); });
    body.addEventListener("dragover", function (e) {
      if (e.dataTransfer && Array.prototype.indexOf.call(e.dataTransfer.types || [], "Files") >= 0) e.preventDefault();
    });
    body.addEventListener("drop", function (e) {
      var f = imageOf(e.dataTransfer && e.dataTransfer.files);
      if (!f) return;
      e.preventDefault();
      keep();
      document.getElementById("upload_use_body").checked = true;
      take(f, "dropped in the body");
    });
  }
  form.addEventListener("paste", function (e) {
    var f = imageOf(e.clipboardData && (e.clipboardData.files && e.clipboardData.files.length ? e.clipboardData.files : e.clipboardData.items));
    if (!f) return; // text pastes as usual
    e.preventDefault();
    if (e.target === body) {
      cursor = [body.selectionStart, body.selectionEnd];
      document.getElementById("upload_use_body").checked = true;
    }
    take(f, "pasted");
  });
})();
