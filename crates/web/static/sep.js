// Progressive enhancement for the cabinet: every page works without this file.
// 1. Live status: pages of a logged-in person listen to /api/v1/events and
//    update the unread counter, an open application and the officer's queue.
// 2. Forms defined as data: conditional fields shown and hidden as answers
//    change, and each field checked by the server as soon as it is left.
(function () {
  "use strict";

  function swap(ids) {
    return fetch(location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        ids.forEach(function (id) {
          var fresh = doc.getElementById(id), old = document.getElementById(id);
          if (fresh && old) { old.replaceWith(fresh); }
        });
      });
  }

  if (document.body.dataset.live === "on" && window.EventSource) {
    var events = new EventSource("/api/v1/events");
    // Close the stream when the page goes away (or into the back/forward
    // cache): an open stream holds one of the six connections a browser allows
    // per host, and a handful of kept pages would stall every further click.
    window.addEventListener("pagehide", function () { events.close(); });
    events.addEventListener("application.state", function (e) {
      var d = JSON.parse(e.data);
      var badge = document.getElementById("unread-count");
      if (badge && typeof d.unread === "number") {
        badge.textContent = String(d.unread);
        badge.hidden = d.unread === 0;
      }
      var page = document.querySelector("[data-application]");
      if (page && page.dataset.application === d.application_id) {
        var state = document.getElementById("state");
        state.textContent = d.state_label;
        state.dataset.state = d.state;
        var live = document.getElementById("live");
        if (live) { live.textContent = live.dataset.prefix + " " + d.state_label; }
        swap(["history", "actions"]);
      }
      if (document.getElementById("queue")) { swap(["queue"]); }
      if (document.getElementById("my-applications")) { swap(["my-applications"]); }
    });
    // An open application checks once on connecting: its checking and
    // routing follow the submission's answer, and may have happened between
    // this page's rendering and the stream's opening.
    var shown = document.querySelector("[data-application]");
    if (shown) {
      events.addEventListener("open", function () {
        fetch("/api/v1/applications/" + shown.dataset.application, { credentials: "same-origin", headers: { "Accept": "application/json" } })
          .then(function (r) { return r.json(); })
          .then(function (a) {
            var state = document.getElementById("state");
            if (state && a.state && a.state !== state.dataset.state) { swap(["state", "history", "actions"]); }
          });
      });
    }
    events.addEventListener("reload", function () { location.reload(); });
    // «Мои документы» shows a certificate the moment it is issued or revoked.
    ["document.issued", "document.revoked"].forEach(function (kind) {
      events.addEventListener(kind, function () {
        if (document.getElementById("my-documents")) { swap(["my-documents"]); }
      });
    });
    // A payment waiting for the bank's word: its page reloads when the word
    // comes, and checks once on connecting in case it came just before.
    var payment = document.querySelector("[data-payment]");
    if (payment && /^(pending|processing)$/.test(payment.dataset.paymentState)) {
      var settled = function (e) {
        if (JSON.parse(e.data).intent_id === payment.dataset.payment) { location.reload(); }
      };
      events.addEventListener("payment.succeeded", settled);
      events.addEventListener("payment.failed", settled);
      events.addEventListener("open", function () {
        fetch("/api/v1/payments/" + payment.dataset.payment, { credentials: "same-origin", headers: { "Accept": "application/json" } })
          .then(function (r) { return r.json(); })
          .then(function (p) { if (p.state !== payment.dataset.paymentState) { location.reload(); } });
      });
    }
  }

  var form = document.querySelector("form[data-check]");
  if (!form) { return; }

  function answersOf() {
    var data = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (typeof value === "string") { data.append(key, value); }
    });
    return data;
  }

  function currentValue(name) {
    var inputs = form.querySelectorAll("[name='" + name + "']");
    for (var i = 0; i < inputs.length; i++) {
      var el = inputs[i];
      if (el.type === "checkbox") { if (el.checked) { return "true"; } continue; }
      if (el.type === "hidden" && inputs.length > 1) { continue; }
      return el.value;
    }
    return "";
  }

  function applyConditions() {
    form.querySelectorAll("[data-show-if]").forEach(function (el) {
      var name = el.dataset.showIf, expected = el.dataset.showIfValue;
      var value = currentValue(name);
      var shown = expected === undefined ? (value !== "" && value !== "false") : expected.split("|").indexOf(value) >= 0;
      el.hidden = !shown;
    });
  }

  var touched = {};
  function check() {
    fetch(form.dataset.check, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: answersOf()
    }).then(function (r) { return r.json(); }).then(function (result) {
      form.querySelectorAll("[data-error-for]").forEach(function (p) {
        var error = result.errors.find(function (e) { return e.field === p.dataset.errorFor; });
        var field = p.closest(".field");
        var input = field && field.querySelector("input, select, textarea");
        if (error && touched[p.dataset.errorFor]) {
          p.textContent = error.rule;
          p.hidden = false;
          if (field) { field.classList.add("invalid"); }
          if (input) { input.setAttribute("aria-invalid", "true"); }
        } else {
          p.textContent = "";
          p.hidden = true;
          if (field) { field.classList.remove("invalid"); }
          if (input) { input.removeAttribute("aria-invalid"); }
        }
      });
    });
  }

  form.addEventListener("change", applyConditions);
  form.addEventListener("focusout", function (e) {
    if (e.target.name && e.target.type !== "file") {
      touched[e.target.name] = true;
      check();
    }
  });
  applyConditions();
})();
