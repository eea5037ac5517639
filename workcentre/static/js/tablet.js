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
      // Task names and steps are stored in Finnish: they say so (data-lang) and are read so.
      const lang = button.dataset.lang || document.documentElement.lang;
      say.lang = lang === "sv" ? "sv-FI" : lang === "en" ? "en-GB" : "fi-FI";
      say.rate = Number(body.dataset.speechRate) || 0.9;
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

  // The steps one at a time: "2 / 3", back and forth, and a done state at the last step
  // (never a silent loop back to the first).
  document.querySelectorAll("[data-one-at-a-time]").forEach(function (list) {
    const items = Array.from(list.children);
    const nav = list.nextElementSibling;
    if (items.length < 2 || !nav) { return; }
    const prev = nav.querySelector(".prev-step");
    const next = nav.querySelector(".next-step");
    const first = nav.querySelector(".first-step");
    const done = nav.querySelector(".steps-done");
    let shown = 0;
    const show = function () {
      const last = shown === items.length - 1;
      items.forEach(function (li, i) { li.hidden = i !== shown; });
      nav.querySelector(".step-count").textContent = (shown + 1) + " / " + items.length;
      prev.classList.toggle("is-hidden", shown === 0);
      next.hidden = last;
      first.hidden = !last;
      done.hidden = !last;
    };
    const go = function (to, focus) {
      shown = to;
      show();
      focus.focus();
    };
    nav.hidden = false;
    prev.addEventListener("click", function () { go(Math.max(0, shown - 1), shown === 1 ? next : prev); });
    next.addEventListener("click", function () {
      go(shown + 1, shown + 1 === items.length - 1 ? first : next);
    });
    first.addEventListener("click", function () { go(0, next); });
    show();
  });

  // The person's own help call: asked every second while it waits, until an instructor answers.
  document.querySelectorAll("[data-help-status]").forEach(function (note) {
    function show(state) {
      note.dataset.state = state;
      note.hidden = state === "none";
      note.classList.toggle("is-coming", state === "coming");
      if (state !== "none") { note.textContent = note.dataset[state] || ""; }
    }
    function ask() {
      fetch(note.dataset.helpStatus, { credentials: "same-origin", cache: "no-store" })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (data) { show(data.state); })
        .catch(function () { /* asked again below */ })
        .then(function () { if (note.dataset.state === "waiting") { setTimeout(ask, 1000); } });
    }
    if (note.dataset.state === "waiting") { setTimeout(ask, 1000); }
  });

  // Reports: sent with fetch and kept in the browser until the server has stored them. A refusal
  // for good (400: the report is broken, 403: not this person's) is dropped with a calm message;
  // anything else (no network, 429, 5xx such as "database is locked") is sent again later with
  // the same key, waiting twice as long each time, and the server counts each key once.
  const RETRY_FIRST = 2000;
  const RETRY_LONGEST = 60000;
  const sending = {};
  let timer = null;

  function queued() {
    try { return JSON.parse(localStorage.getItem(QUEUE) || "[]"); } catch (e) { return []; }
  }
  function save(list) { localStorage.setItem(QUEUE, JSON.stringify(list)); }
  function forget(key) { save(queued().filter(function (e) { return e.fields.key !== key; })); }
  function backOff(key) {
    const list = queued();
    list.forEach(function (e) {
      if (e.fields.key !== key) { return; }
      e.tries = (e.tries || 0) + 1;
      const wait = Math.min(RETRY_LONGEST, RETRY_FIRST * Math.pow(2, e.tries - 1));
      e.next = Date.now() + wait * (0.8 + 0.4 * Math.random());
    });
    save(list);
    schedule();
  }
  function tell(text) {
    if (!text) { return; }
    let note = document.querySelector(".queue-status");
    if (!note) {
      note = document.createElement("p");
      note.className = "calm-message queue-status";
      note.setAttribute("role", "status");
      document.querySelector("main").prepend(note);
    }
    note.textContent = text;
  }
  // "stored", "refused" (for good) or "retry" (offline, or "retry" with the server's status).
  function send(entry) {
    const fields = Object.assign({}, entry.fields);
    const token = document.querySelector("input[name=csrf_token]");
    if (token) { fields.csrf_token = token.value; }  // the page's own token is never stale
    return fetch(entry.url, {
      method: "POST", credentials: "same-origin", headers: { Accept: "application/json" },
      body: new URLSearchParams(fields),
    }).then(function (r) {
      if (r.ok) {
        return r.json().then(function (data) {
          return data && data.ok ? { outcome: "stored", data: data } : { outcome: "retry" };
        }, function () { return { outcome: "retry" }; });
      }
      const forGood = r.status >= 400 && r.status < 500 && [408, 425, 429].indexOf(r.status) < 0;
      return { outcome: forGood ? "refused" : "retry", status: r.status };
    }, function () { return { outcome: "retry", offline: true }; });
  }
  function deliver(entry) {
    const key = entry.fields.key;
    if (sending[key]) { return Promise.resolve({ outcome: "busy" }); }
    sending[key] = true;
    return send(entry).then(function (result) {
      delete sending[key];
      if (result.outcome === "retry") { backOff(key); } else { forget(key); }
      return result;
    });
  }
  function flush(all) {
    const now = Date.now();
    const due = queued().filter(function (e) { return all || !e.next || e.next <= now; });
    return due.reduce(function (chain, entry) {
      return chain.then(function () {
        return deliver(entry).then(function (result) {
          if (result.outcome === "refused") { tell(body.dataset.dropped); }
        });
      });
    }, Promise.resolve()).then(schedule);
  }
  function schedule() {
    clearTimeout(timer);
    const next = queued().reduce(function (soonest, e) {
      return Math.min(soonest, e.next || Date.now());
    }, Infinity);
    if (next !== Infinity) {
      timer = setTimeout(function () { flush(false); }, Math.max(500, next - Date.now()));
    }
  }
  window.addEventListener("online", function () { flush(true); });
  flush(false);

  document.querySelectorAll("form[data-queue]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      const units = parseInt(form.querySelector("[name=units]").value, 10);
      if (!(units > 0)) { return; }
      event.preventDefault();
      const entry = { url: form.action, fields: Object.fromEntries(new FormData(form)) };
      save(queued().concat([entry]));
      const note = form.querySelector(".queue-note");
      const buttons = form.querySelectorAll("button");
      buttons.forEach(function (b) { b.disabled = true; });
      deliver(entry).then(function (result) {
        if (result.outcome === "stored") {
          window.location.href = form.action.replace(/report$/, "done/" + entry.fields.key);
        } else if (result.outcome === "refused") {
          buttons.forEach(function (b) { b.disabled = false; });
          note.textContent = note.dataset.problem || "";
        } else {
          note.textContent = (result.offline ? note.dataset.offline : note.dataset.retry) || "";
          setTimeout(function () { window.location.href = body.dataset.home; }, 4000);
        }
      });
    });
  });
}());
