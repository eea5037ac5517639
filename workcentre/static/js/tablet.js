// The tablet: idle return, counting, reading aloud, one step at a time, and reports that survive
// a flaky Wi-Fi (kept in the browser and sent again; the server counts each key once).
(function () {
  "use strict";
  const body = document.body;
  const QUEUE = "workcentre.reports";

  // Back to "who am I" after a quiet while, without a visible countdown.
  const idle = Number(body.dataset.idleSeconds || 0);
  if (idle > 0) {
    let timer = null;
    const restart = function () {
      clearTimeout(timer);
      timer = setTimeout(function () { window.location.href = body.dataset.home; }, idle * 1000);
    };
    ["pointerdown", "keydown", "input"].forEach(function (e) { document.addEventListener(e, restart); });
    restart();
  }

  // Read aloud in the page's language.
  document.querySelectorAll(".speak").forEach(function (button) {
    if (!("speechSynthesis" in window)) { button.hidden = true; return; }
    button.addEventListener("click", function () {
      const say = new SpeechSynthesisUtterance(button.dataset.say || "");
      say.lang = document.documentElement.lang === "sv" ? "sv-FI"
        : document.documentElement.lang === "en" ? "en-GB" : "fi-FI";
      say.rate = 0.9;
      window.speechSynthesis.cancel();
      window.speechSynthesis.speak(say);
    });
  });

  // Counting with big buttons.
  document.querySelectorAll(".counter").forEach(function (counter) {
    const input = counter.querySelector("input");
    counter.querySelectorAll("[data-add]").forEach(function (button) {
      button.addEventListener("click", function () {
        const value = Math.max(0, (parseInt(input.value, 10) || 0) + Number(button.dataset.add));
        input.value = value > 0 ? String(value) : "";
      });
    });
  });

  // The steps one at a time, with a big "next" arrow.
  document.querySelectorAll("[data-one-at-a-time]").forEach(function (list) {
    const items = Array.from(list.children);
    const nav = list.nextElementSibling;
    if (items.length < 2 || !nav) { return; }
    let shown = 0;
    const show = function () { items.forEach(function (li, i) { li.hidden = i !== shown; }); };
    nav.hidden = false;
    nav.querySelector(".next-step").addEventListener("click", function () {
      shown = (shown + 1) % items.length;
      show();
    });
    show();
  });

  // Reports: sent with fetch; when the network is away they wait in the browser.
  function queued() {
    try { return JSON.parse(localStorage.getItem(QUEUE) || "[]"); } catch (e) { return []; }
  }
  function save(list) { localStorage.setItem(QUEUE, JSON.stringify(list)); }
  function send(entry) {
    return fetch(entry.url, {
      method: "POST", credentials: "same-origin", headers: { Accept: "application/json" },
      body: new URLSearchParams(entry.fields),
    }).then(function (r) {
      if (r.status >= 500) { throw new Error("server"); }
      return r.json().catch(function () { return { ok: false }; });
    });
  }
  function flush() {
    const list = queued();
    if (!list.length) { return Promise.resolve(); }
    const entry = list[0];
    return send(entry).then(function () {
      save(queued().filter(function (e) { return e.fields.key !== entry.fields.key; }));
      return flush();
    }).catch(function () { /* still offline: try again later */ });
  }
  window.addEventListener("online", flush);
  setInterval(flush, 15000);
  flush();

  document.querySelectorAll("form[data-queue]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      const units = parseInt(form.querySelector("[name=units]").value, 10);
      if (!(units > 0)) { return; }
      event.preventDefault();
      const entry = { url: form.action, fields: Object.fromEntries(new FormData(form)) };
      save(queued().concat([entry]));
      const note = form.querySelector(".queue-note");
      form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
      send(entry).then(function (data) {
        save(queued().filter(function (e) { return e.fields.key !== entry.fields.key; }));
        if (data && data.ok) {
          window.location.href = form.action.replace(/report$/, "done/" + entry.fields.key);
        } else {
          form.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
          note.textContent = note.dataset.problem || "";
        }
      }).catch(function () {
        note.textContent = note.dataset.offline || "";
        setTimeout(function () { window.location.href = body.dataset.home; }, 4000);
      });
    });
  });
}());
