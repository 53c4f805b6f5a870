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
      .then(function (r) {
        var removed = r.headers.get("X-Byline-Removed");
        if (removed && status) status.textContent = "HTML in the body is not shown on the page; " + removed + ".";
        return r.text();
      })
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

  // Autosave drafts (and a live article's draft of changes) every 10 s
  // when something changed. The server checks
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
          // A live article's edits are kept as its draft of changes.
          var seq = document.getElementById("pending-seq");
          if (seq && res.body.pending_seq) seq.value = res.body.pending_seq;
          status.textContent = (res.body.pending_seq ? "Draft of changes saved (not live) at " : "Draft saved at ") + new Date().toLocaleTimeString() +
            (res.body.removed ? ". HTML in the body is not shown on the page; " + res.body.removed + "." : "");
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

// The lead-image picker: lists the media library (GET /admin/media.json)
// and fills the image fields from the chosen item.
(function () {
  "use strict";
  var box = document.querySelector("[data-media-picker]");
  if (!box) return;
  var open = box.querySelector("[data-picker-open]");
  var grid = box.querySelector("[data-picker-grid]");
  var status = box.querySelector("[data-picker-status]");
  var next = 1;

  function set(id, v) {
    var el = document.getElementById(id);
    if (!el) return;
    el.value = v || "";
    el.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function choose(item) {
    var img = item.image || item;
    set("image_url", img.url);
    set("image_alt", img.alt);
    set("image_caption", img.caption);
    set("image_credit", img.credit);
    status.textContent = "Chosen: " + (img.alt || img.url);
    grid.hidden = true;
    open.setAttribute("aria-expanded", "false");
    document.getElementById("image_alt").focus();
  }

  function load() {
    status.textContent = "Loading…";
    fetch(box.dataset.mediaPicker + "?page=" + next, { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) {
        var old = grid.querySelector("[data-picker-more]");
        if (old) old.remove();
        (data.items || []).forEach(function (item) {
          var b = document.createElement("button");
          b.type = "button";
          b.className = "picker-item";
          var im = document.createElement("img");
          im.src = (item.renditions && item.renditions[0] && item.renditions[0].url) || item.url;
          im.alt = "";
          im.loading = "lazy";
          var span = document.createElement("span");
          span.textContent = item.alt || item.url;
          b.appendChild(im);
          b.appendChild(span);
          b.addEventListener("click", function () { choose(item); });
          grid.appendChild(b);
        });
        status.textContent = data.total ? data.total + " images in the library" : "The library is empty: upload an image first.";
        if (data.next_page) {
          next = data.next_page;
          var more = document.createElement("button");
          more.type = "button";
          more.textContent = "More images";
          more.setAttribute("data-picker-more", "");
          more.addEventListener("click", load);
          grid.appendChild(more);
        }
      })
      .catch(function () { status.textContent = "The media library could not be loaded."; });
  }

  open.addEventListener("click", function () {
    var show = grid.hidden;
    grid.hidden = !show;
    open.setAttribute("aria-expanded", String(show));
    if (show && !grid.childElementCount) load();
  });
})();

// The moderation queue from the keyboard: j/k move between comments,
// a approves, r rejects, x dismisses reports. Reject needs a clause: with
// none chosen, the key moves focus to the clause list instead of sending.
(function () {
  "use strict";
  var queue = document.querySelector(".moderation-queue");
  if (!queue) return;
  var items = Array.prototype.slice.call(queue.querySelectorAll(".queue-item"));
  if (!items.length) return;
  var current = -1;
  function select(i) {
    if (i < 0 || i >= items.length) return;
    if (current >= 0) items[current].classList.remove("queue-current");
    current = i;
    var it = items[i];
    it.classList.add("queue-current");
    it.setAttribute("tabindex", "-1");
    it.focus();
  }
  function press(action) {
    if (current < 0) select(0);
    var it = items[current];
    var btn = it.querySelector('button[name=action][value="' + action + '"]');
    if (!btn) return;
    var clause = it.querySelector("select[name=clause]");
    if ((action === "reject" || action === "delete") && clause && !clause.value) {
      var note = it.querySelector(".queue-keyhint");
      if (note) note.textContent = "Choose the clause this decision applies, then press r again.";
      clause.focus();
      return;
    }
    btn.click();
  }
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    var typing = t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
    if (typing && e.key !== "Escape") return;
    switch (e.key) {
      case "j": select(current + 1); break;
      case "k": select(Math.max(0, current - 1)); break;
      case "a": press("approve"); break;
      case "r": press("reject"); break;
      case "x": press("dismiss"); break;
      case "Escape":
        var li = t && t.closest ? t.closest(".queue-item") : null;
        if (!li) return;
        select(items.indexOf(li));
        break;
      default: return;
    }
    e.preventDefault();
  });
})();

// Buttons that undo a public action (Unpublish) ask first; a yes skips the
// server's own confirmation page, a no sends nothing.
(function () {
  "use strict";
  document.addEventListener("click", function (e) {
    var b = e.target.closest ? e.target.closest("button[data-confirm]") : null;
    if (!b) return;
    if (!window.confirm(b.getAttribute("data-confirm"))) {
      e.preventDefault();
      return;
    }
    var yes = document.createElement("input");
    yes.type = "hidden";
    yes.name = "confirm";
    yes.value = "yes";
    b.form.appendChild(yes);
  });
})();

// The byline picker: without script a plain multi-select; with it, the
// chosen authors as chips (in byline order, each with a remove button) and
// a type-to-filter list to add one (arrow keys and Enter, or a click).
// The select stays the form's field: chips only choose and order its
// options (a form sends them in option order).
(function () {
  "use strict";
  var box = document.querySelector("[data-author-picker]");
  if (!box) return;
  var select = box.querySelector("select");
  var label = box.querySelector("label");
  var hint = box.querySelector("[data-author-hint]");
  var chips = document.createElement("ul");
  chips.className = "chips";
  chips.id = "author-chips";
  chips.setAttribute("aria-label", "Chosen authors, in byline order");
  var input = document.createElement("input");
  input.type = "text";
  input.id = "author-search";
  input.autocomplete = "off";
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", "author-options");
  input.placeholder = "Type a name to add an author";
  var list = document.createElement("ul");
  list.id = "author-options";
  list.className = "author-options";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Authors");
  list.hidden = true;
  var live = document.createElement("p");
  live.className = "visually-hidden";
  live.setAttribute("role", "status");
  live.setAttribute("aria-live", "polite");
  var active = -1;

  select.hidden = true;
  label.htmlFor = "author-search";
  if (hint) hint.textContent = "(type to find; the first is the lead byline)";
  box.appendChild(chips);
  box.appendChild(input);
  box.appendChild(list);
  box.appendChild(live);

  function options() { return Array.prototype.slice.call(select.options); }
  function name(o) { return o.textContent; }
  var order = options().filter(function (o) { return o.selected; });

  // Chosen options first, in chip order: that is the order the form sends.
  function sync() {
    order.slice().reverse().forEach(function (o) { select.insertBefore(o, select.firstChild); });
    options().forEach(function (o) { o.selected = order.indexOf(o) >= 0; });
    select.dispatchEvent(new Event("input", { bubbles: true }));
    drawChips();
  }

  function drawChips() {
    chips.textContent = "";
    order.forEach(function (o) {
      var li = document.createElement("li");
      li.className = "chip";
      li.appendChild(document.createTextNode(name(o)));
      var b = document.createElement("button");
      b.type = "button";
      b.className = "chip-remove";
      b.setAttribute("aria-label", "Remove " + name(o));
      b.textContent = "×";
      b.addEventListener("click", function () {
        order.splice(order.indexOf(o), 1);
        live.textContent = name(o) + " removed.";
        sync();
        input.focus();
      });
      li.appendChild(b);
      chips.appendChild(li);
    });
  }

  function matches() {
    var q = input.value.trim().toLowerCase();
    return options().filter(function (o) {
      return order.indexOf(o) < 0 && (!q || name(o).toLowerCase().indexOf(q) >= 0);
    });
  }

  function drawList() {
    var found = matches();
    list.textContent = "";
    found.forEach(function (o, i) {
      var li = document.createElement("li");
      li.id = "author-opt-" + o.value;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", String(i === active));
      li.textContent = name(o);
      li.addEventListener("mousedown", function (e) { e.preventDefault(); add(o); });
      list.appendChild(li);
    });
    var show = document.activeElement === input && found.length > 0;
    list.hidden = !show;
    input.setAttribute("aria-expanded", String(show));
    if (active >= 0 && found[active]) input.setAttribute("aria-activedescendant", "author-opt-" + found[active].value);
    else input.removeAttribute("aria-activedescendant");
    return found;
  }

  function add(o) {
    order.push(o);
    input.value = "";
    active = -1;
    live.textContent = name(o) + " added.";
    sync();
    drawList();
  }

  input.addEventListener("input", function () { active = 0; drawList(); });
  input.addEventListener("focus", function () { drawList(); });
  input.addEventListener("blur", function () { list.hidden = true; input.setAttribute("aria-expanded", "false"); });
  input.addEventListener("keydown", function (e) {
    var found = matches();
    if (e.key === "ArrowDown") { active = Math.min(active + 1, found.length - 1); drawList(); e.preventDefault(); }
    else if (e.key === "ArrowUp") { active = Math.max(active - 1, 0); drawList(); e.preventDefault(); }
    else if (e.key === "Enter") {
      // Enter picks an author; it never submits the form from here.
      e.preventDefault();
      if (found.length) add(found[Math.max(active, 0)]);
    } else if (e.key === "Escape") { list.hidden = true; input.setAttribute("aria-expanded", "false"); }
    else if (e.key === "Backspace" && !input.value && order.length) {
      var o = order.pop();
      live.textContent = name(o) + " removed.";
      sync();
    }
  });
  drawChips();
})();
