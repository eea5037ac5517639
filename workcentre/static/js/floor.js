// The floor view keeps itself current: it asks for its live part every second (an unchanged floor
// answers 304 with no body), swaps it in without reloading the page, tells a screen reader about
// a new help call, and beeps when the instructor has switched the sound on (remembered here).
(function () {
  "use strict";
  const live = document.getElementById("floor-live");
  if (!live) { return; }
  const SOUND = "workcentre.floor.sound";
  const EVERY = 1000;
  const news = document.getElementById("floor-news");
  const soundBox = document.getElementById("floor-sound");
  let etag = live.dataset.etag || "";
  let audio = null;
  let timer = null;

  function callIds() {
    const list = live.querySelector("[data-calls]");
    return list && list.dataset.calls ? list.dataset.calls.split(",") : [];
  }
  let known = new Set(callIds());  // calls open when the page came: no beep for them

  // --- The sound: off by default; browsers let it play only after a tap on the page. ---
  function soundOn() { return localStorage.getItem(SOUND) === "on"; }
  function wakeAudio() {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) { return null; }
    if (!audio) { audio = new Context(); }
    if (audio.state === "suspended") { audio.resume(); }
    return audio;
  }
  function beep() {
    const ctx = wakeAudio();
    if (!ctx) { return; }
    [0, 0.25].forEach(function (start) {
      const tone = ctx.createOscillator();
      const gain = ctx.createGain();
      tone.frequency.value = 880;
      gain.gain.setValueAtTime(0.0001, ctx.currentTime + start);
      gain.gain.exponentialRampToValueAtTime(0.4, ctx.currentTime + start + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + start + 0.18);
      tone.connect(gain).connect(ctx.destination);
      tone.start(ctx.currentTime + start);
      tone.stop(ctx.currentTime + start + 0.2);
    });
  }
  if (soundBox) {
    soundBox.checked = soundOn();
    soundBox.closest("label").hidden = false;
    soundBox.addEventListener("change", function () {
      localStorage.setItem(SOUND, soundBox.checked ? "on" : "off");
      if (soundBox.checked) { beep(); }  // the tap that switches it on also lets it play
    });
    ["pointerdown", "keydown"].forEach(function (e) {
      document.addEventListener(e, function () { if (soundOn()) { wakeAudio(); } }, { once: true });
    });
  }

  // --- The live part. ---
  function announce(fresh) {
    const names = fresh.map(function (id) {
      const item = live.querySelector('[data-call="' + id + '"]');
      return item ? item.dataset.name : "";
    }).filter(Boolean);
    if (news && names.length) { news.textContent = news.dataset.newCall + " " + names.join(", "); }
    if (soundOn()) { beep(); }
  }
  function swap(html) {
    const focused = document.activeElement && live.contains(document.activeElement)
      ? document.activeElement.id : null;
    live.innerHTML = html;
    if (focused && document.getElementById(focused)) { document.getElementById(focused).focus(); }
    const now = callIds();
    const fresh = now.filter(function (id) { return !known.has(id); });
    known = new Set(now);
    if (fresh.length) { announce(fresh); }
  }
  function schedule(wait) {
    clearTimeout(timer);
    timer = setTimeout(poll, wait);
  }
  function poll() {
    fetch(live.dataset.url, {
      credentials: "same-origin", cache: "no-store",
      headers: etag ? { "If-None-Match": etag } : {},
    }).then(function (r) {
      if (r.redirected) { window.location.reload(); return; }  // signed out: to the sign-in
      if (r.status === 304) { return; }
      if (!r.ok) { throw new Error(r.status); }
      etag = r.headers.get("ETag") || "";
      return r.text().then(swap);
    }).then(function () { schedule(EVERY); }, function () { schedule(EVERY * 3); });
  }
  schedule(EVERY);

  // "Tulen" without leaving the page; the answer shows at once, then the floor is asked again.
  live.addEventListener("submit", function (event) {
    const form = event.target.closest("form[data-answer]");
    if (!form) { return; }
    event.preventDefault();
    const button = form.querySelector("button");
    button.disabled = true;
    fetch(form.action, {
      method: "POST", credentials: "same-origin", headers: { Accept: "application/json" },
      body: new URLSearchParams(new FormData(form)),
    }).then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (data) { if (news) { news.textContent = data.message; } })
      .catch(function () { button.disabled = false; })
      .then(function () { schedule(0); });
  });
}());
