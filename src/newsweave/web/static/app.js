// newsweave: citation popovers and ingest progress. No framework; data is only ever set with
// textContent, never parsed as HTML.
"use strict";

(function () {
  // ------------------------------------------------------------------ citation popovers
  function closeAll(except) {
    document.querySelectorAll(".cw.open").forEach(function (el) {
      if (el !== except) {
        el.classList.remove("open");
        var b = el.querySelector("button.cite");
        if (b) b.setAttribute("aria-expanded", "false");
      }
    });
  }
  document.addEventListener("click", function (ev) {
    var button = ev.target.closest ? ev.target.closest(".cw > button.cite") : null;
    if (button) {
      var wrap = button.parentElement;
      var open = !wrap.classList.contains("open");
      closeAll(wrap);
      wrap.classList.toggle("open", open);
      button.setAttribute("aria-expanded", open ? "true" : "false");
      ev.preventDefault();
      return;
    }
    if (!(ev.target.closest && ev.target.closest(".pop"))) closeAll(null);
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") closeAll(null);
  });

  // ------------------------------------------------------------------ ingest progress
  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function show(box, job) {
    box.hidden = false;
    box.replaceChildren();
    var label = job.state;
    if (job.step_label) label += ": " + job.step_label;
    if (job.total) label += " (" + job.done + " of " + job.total + ")";
    box.appendChild(el("p", label, "state"));
    if (job.state === "running" || job.state === "queued") {
      var bar = el("progress");
      if (job.total) { bar.max = job.total; bar.value = job.done; }
      box.appendChild(bar);
    }
    if (job.state === "done") {
      box.appendChild(el("p", job.added.length + " new report(s), " + job.duplicates.length + " already stored."));
      job.stories.forEach(function (sid) {
        var p = el("p");
        var a = el("a", "Open the story →");
        a.href = "/stories/" + encodeURIComponent(sid);
        a.className = "story-link";
        p.appendChild(a);
        box.appendChild(p);
      });
    }
    if (job.state === "failed") box.appendChild(el("p", job.error || "failed", "warn"));
    (job.problems || []).forEach(function (p) { box.appendChild(el("p", p, "warn")); });
  }

  function poll(box, id, headers) {
    fetch("/api/jobs/" + encodeURIComponent(id), { headers: headers, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (job) {
        show(box, job);
        if (job.state === "queued" || job.state === "running") {
          setTimeout(function () { poll(box, id, headers); }, 700);
        }
      })
      .catch(function () { setTimeout(function () { poll(box, id, headers); }, 1500); });
  }

  var form = document.getElementById("ingest-form");
  if (form && window.fetch && window.FormData) {
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var box = document.getElementById("progress");
      var data = new FormData(form);
      var headers = {};
      var token = data.get("token");
      if (token) headers["X-Newsweave-Token"] = token;
      data.delete("token");
      var submit = form.querySelector("button[type=submit]");
      submit.disabled = true;
      show(box, { state: "sending", done: 0, total: null, added: [], duplicates: [], stories: [], problems: [] });
      fetch("/api/ingest", { method: "POST", body: data, headers: headers, credentials: "same-origin" })
        .then(function (r) {
          return r.json().then(function (body) { return { ok: r.ok, body: body }; });
        })
        .then(function (res) {
          submit.disabled = false;
          if (!res.ok) {
            var msg = typeof res.body.detail === "string" ? res.body.detail : "the request was refused";
            show(box, { state: "failed", error: msg, added: [], duplicates: [], stories: [], problems: [] });
            return;
          }
          poll(box, res.body.id, headers);
        })
        .catch(function () {
          submit.disabled = false;
          show(box, { state: "failed", error: "could not reach the server", added: [], duplicates: [], stories: [], problems: [] });
        });
    });
  }

  var jobBox = document.querySelector("#progress[data-job]");
  if (jobBox && window.fetch) poll(jobBox, jobBox.getAttribute("data-job"), {});
})();
