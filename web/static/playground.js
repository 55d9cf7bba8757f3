// The playground page: buttons that call the playground API of this
// server, and the list of exchanges the server recorded.
"use strict";

(function () {
  const api = "/playground/api";

  // The token lives in this variable only: not in localStorage, where any
  // script on the page could read it later.
  let token = "";
  let forgottenToken = "";

  const $ = (id) => document.getElementById(id);

  async function call(method, path, options) {
    const init = { method: method, headers: {}, credentials: "same-origin" };
    if (options && options.body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(options.body);
    }
    if (options && options.bearer) {
      init.headers["Authorization"] = "Bearer " + options.bearer;
    }
    let response;
    let data = {};
    try {
      response = await fetch(api + path, init);
      data = await response.json().catch(() => ({}));
    } catch (err) {
      showError("The request failed: " + err.message + ". Is the server still running?");
      return { status: 0, data: {} };
    }
    await refreshTranscript();
    return { status: response.status, data: data };
  }

  function showError(message) {
    $("jwt-state").textContent = message;
  }

  function describe(result) {
    const d = result.data;
    let text = result.status + " " + (d.message || d.error || "");
    if (d.reason) {
      text += " (reason: " + d.reason + ")";
    }
    if (d.detail) {
      text += ". " + d.detail;
    }
    return text;
  }

  const actions = {
    "sandbox-reset": async function () {
      if (!window.confirm("Reset your sandbox? Keys, clock, settings, sessions and the request list are deleted; quiz progress stays.")) {
        return;
      }
      const result = await call("POST", "/reset");
      if (result.status !== 200) {
        $("reset-state").textContent = describe(result);
        return;
      }
      token = "";
      forgottenToken = "";
      $("jwt-state").textContent = "No token yet.";
      $("session-state").textContent = "No session: the reset deleted it.";
      trackSession({ status: 0, data: {} });
      $("reset-state").textContent = result.data.message;
      await refreshClock();
      await loadSettings();
    },
    "jwt-login": async function () {
      const body = { username: $("jwt-username").value, alg: $("jwt-alg").value };
      const seconds = $("jwt-expires").value.trim();
      if (seconds !== "") {
        body.expiresIn = Number(seconds);
      }
      const result = await call("POST", "/jwt/login", { body: body });
      if (result.status === 200) {
        token = result.data.token;
        $("jwt-state").textContent = "Holding " + (/^[AEHIOR]/.test(result.data.alg) ? "an " : "a ") + result.data.alg + " token signed with key " + result.data.kid + " that expires at " + result.data.expiresAt + ".";
      } else {
        $("jwt-state").textContent = describe(result);
      }
    },
    "jwt-call": async function () {
      const result = await call("GET", "/jwt/data", { bearer: token || undefined });
      $("jwt-state").textContent = (token ? "" : "No token held, so no Authorization header was sent. ") + describe(result);
    },
    "jwt-logout": async function () {
      if (token) {
        forgottenToken = token;
      }
      token = "";
      $("jwt-state").textContent = "Logged out: the page forgot its token. The server was not told, because it keeps no record of tokens. Replay the old token to see that it still works until it expires.";
    },
    "jwt-server-logout": async function () {
      if (!token) {
        $("jwt-state").textContent = "Log in first; this button sends the held token to POST /jwt/logout.";
        return;
      }
      const result = await call("POST", "/jwt/logout", { bearer: token });
      if (result.status === 200) {
        forgottenToken = token;
        token = "";
      }
      $("jwt-state").textContent = describe(result);
    },
    "jwt-replay": async function () {
      if (!forgottenToken) {
        $("jwt-state").textContent = "Log in and log out first; then this button sends the token you logged out with.";
        return;
      }
      const result = await call("GET", "/jwt/data", { bearer: forgottenToken });
      $("jwt-state").textContent = "Replayed the logged-out token: " + describe(result);
    },
    "session-login": async function () {
      const result = await call("POST", "/session/login", { body: { username: $("session-username").value } });
      $("session-state").textContent = describe(result);
      trackSession(result);
    },
    "session-call": async function () {
      const result = await call("GET", "/session/data");
      $("session-state").textContent = describe(result);
      trackSession(result);
    },
    "session-logout": async function () {
      const result = await call("POST", "/session/logout");
      $("session-state").textContent = describe(result);
      trackSession(result);
    },
    "clock-advance": async function () {
      const raw = $("clock-seconds").value.trim();
      if (raw === "") {
        $("clock-state").textContent = "Enter a number of seconds from 1 to 31536000 first.";
        return;
      }
      await advance(Number(raw));
    },
    "settings-save": saveSettings,
    "inspector-current": function () {
      const current = token || forgottenToken;
      if (!current) {
        $("inspector-result").textContent = "No token yet: log in with a JWT first, or paste a token.";
        return;
      }
      $("inspector-token").value = current;
      inspect();
    },
    "inspector-run": inspect,
    "inspector-resign": function () {
      return sign(true);
    },
    "inspector-keep": function () {
      return sign(false);
    },
    "inspector-send": async function () {
      const pasted = $("inspector-token").value.trim();
      const result = await call("GET", "/jwt/data", { bearer: pasted || undefined });
      $("inspector-result").textContent = "GET /jwt/data: " + describe(result);
    },
    "transcript-clear": async function () {
      await fetch(api + "/transcript", { method: "DELETE", credentials: "same-origin" });
      await refreshTranscript();
    },
  };

  async function advance(seconds) {
    const result = await call("POST", "/clock", { body: { advanceSeconds: seconds } });
    if (result.status === 200) {
      showClock(result.data.now);
      $("clock-state").textContent = "Moved forward " + seconds + " seconds.";
    } else {
      $("clock-state").textContent = describe(result);
    }
  }

  async function refreshClock() {
    try {
      const response = await fetch(api + "/clock", { credentials: "same-origin" });
      const data = await response.json();
      showClock(data.now);
    } catch (err) {
      $("clock-now").textContent = "unavailable (" + err.message + ")";
    }
  }

  // showSettings fills the settings panel from a settings response.
  // sessionEnds holds when the live session ends on the playground clock,
  // from the last session response, and clockNow the playground time.
  let sessionEnds = null;
  let clockNow = null;
  let clockReadAt = 0;

  // playgroundNow is the playground time now: the last clock reading plus
  // the real time since, because the playground clock runs at real speed.
  function playgroundNow() {
    return new Date(clockNow.getTime() + (Date.now() - clockReadAt));
  }

  // trackSession stores the end times of a session response, or clears
  // them when the response reports no live session.
  function trackSession(result) {
    const d = result.data;
    if (result.status === 200 && d.idleExpiresAt) {
      sessionEnds = { idle: new Date(d.idleExpiresAt), absolute: d.absoluteExpiresAt ? new Date(d.absoluteExpiresAt) : null };
    } else {
      sessionEnds = null;
    }
    showCountdown();
  }

  // until writes the time from now to then, such as "29 min 10 s", or
  // "" once then has passed.
  function until(then) {
    // The clock reads whole seconds, so the estimate may run up to a
    // second behind; rounding down hides that.
    let seconds = Math.floor((then - playgroundNow()) / 1000);
    if (seconds <= 0) {
      return "";
    }
    const hours = Math.floor(seconds / 3600);
    seconds -= hours * 3600;
    const minutes = Math.floor(seconds / 60);
    seconds -= minutes * 60;
    const parts = [];
    if (hours) {
      parts.push(hours + " h");
    }
    if (minutes) {
      parts.push(minutes + " min");
    }
    if (seconds || parts.length === 0) {
      parts.push(seconds + " s");
    }
    return "in " + parts.join(" ");
  }

  // showCountdown writes, on the playground clock, when the session ends
  // if it stays unused and when it ends at the latest.
  function showCountdown() {
    const out = $("session-countdown");
    if (!sessionEnds || !clockNow) {
      out.textContent = "No live session: the countdowns start at login.";
      return;
    }
    const idle = until(sessionEnds.idle);
    const absolute = sessionEnds.absolute ? until(sessionEnds.absolute) : "";
    if (sessionEnds.absolute && !absolute) {
      out.textContent = "Absolute timeout: passed, so the next call gets a 401 and the session is gone.";
      return;
    }
    if (!idle) {
      out.textContent = "Idle timeout: passed, so the next call gets a 401 and the session is gone.";
      return;
    }
    let text = "Idle timeout: ends " + idle + " unless used (each call restarts it).";
    if (absolute) {
      text += " Absolute timeout: ends " + absolute + " however much it is used.";
    }
    out.textContent = text;
  }

  function showSettings(data) {
    $("settings-leeway").value = data.leewaySeconds;
    $("settings-allowlist").checked = data.algorithmAllowList;
    $("settings-require-exp").checked = data.requireExp;
    $("settings-denylist").checked = data.denylist;
    $("settings-audience").value = data.audience;
    $("settings-issuer").value = data.issuer;
    $("settings-session-idle").value = data.sessionIdleSeconds;
    $("settings-session-absolute").value = data.sessionAbsoluteSeconds;
    document.dispatchEvent(new CustomEvent("playground:settings", { detail: data }));
    $("settings-state").textContent = "Accepted algorithms: " + data.acceptedAlgorithms.join(", ") + ".";
    const list = $("settings-warnings");
    list.replaceChildren();
    for (const warning of data.warnings) {
      const item = document.createElement("li");
      item.textContent = warning;
      list.appendChild(item);
    }
  }

  async function loadSettings() {
    try {
      const response = await fetch(api + "/settings", { credentials: "same-origin" });
      showSettings(await response.json());
    } catch (err) {
      $("settings-state").textContent = "The settings could not be loaded: " + err.message + ".";
    }
  }

  async function saveSettings() {
    const leeway = $("settings-leeway").value.trim();
    const body = {
      algorithmAllowList: $("settings-allowlist").checked,
      requireExp: $("settings-require-exp").checked,
      denylist: $("settings-denylist").checked,
      audience: $("settings-audience").value,
      issuer: $("settings-issuer").value,
    };
    // The server rejects fractions and out-of-range values with a
    // message, so the field is sent as typed.
    if (leeway !== "") {
      body.leewaySeconds = Number(leeway);
    }
    const idle = $("settings-session-idle").value.trim();
    if (idle !== "") {
      body.sessionIdleSeconds = Number(idle);
    }
    const absolute = $("settings-session-absolute").value.trim();
    if (absolute !== "") {
      body.sessionAbsoluteSeconds = Number(absolute);
    }
    const result = await call("PUT", "/settings", { body: body });
    if (result.status === 200) {
      showSettings(result.data);
      const saved = document.createElement("strong");
      saved.textContent = "Saved. ";
      $("settings-state").prepend(saved);
    } else {
      $("settings-state").textContent = describe(result);
    }
  }

  function term(list, name, value, meaning, when) {
    const dt = document.createElement("dt");
    dt.textContent = name + ": " + JSON.stringify(value);
    const dd = document.createElement("dd");
    dd.textContent = meaning + (when ? " " + when : "");
    list.append(dt, dd);
  }

  function segment(className, text) {
    const span = document.createElement("span");
    span.className = className;
    span.textContent = text;
    return span;
  }

  async function inspect() {
    const pasted = $("inspector-token").value.trim();
    if (!pasted) {
      $("inspector-result").textContent = "Paste a token first, or press Use the current token.";
      return;
    }
    let response;
    let data;
    try {
      response = await fetch(api + "/inspect", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ token: pasted }),
      });
      data = await response.json();
    } catch (err) {
      $("inspector-result").textContent = "The inspector request failed: " + err.message + ".";
      return;
    }
    if (response.status !== 200) {
      $("inspector-result").textContent = describe({ status: response.status, data: data });
      return;
    }

    $("inspector-parts").replaceChildren(
      segment("part-header", data.header.raw), ".",
      segment("part-payload", data.payload.raw), ".",
      segment("part-signature", data.signature.raw));
    $("inspector-header").value = data.header.json ? JSON.stringify(data.header.json, null, 2) : data.header.error;
    $("inspector-payload").value = data.payload.json ? JSON.stringify(data.payload.json, null, 2) : data.payload.error;

    const verdict = data.verification;
    const result = $("inspector-result");
    result.className = "state " + (verdict.valid ? "verdict-valid" : "verdict-invalid");
    result.textContent = (verdict.valid ? "Valid for " + verdict.username + ". " : "Rejected (reason: " + verdict.reason + "). ") +
      verdict.detail + (data.signature.error ? "" : " Signature: " + data.signature.bytes + " bytes.") + " Playground time: " + data.clock + ".";

    const warnings = $("inspector-warnings");
    warnings.replaceChildren();
    for (const warning of data.warnings) {
      const item = document.createElement("li");
      item.textContent = warning.message;
      warnings.appendChild(item);
    }

    const fields = $("inspector-fields");
    fields.replaceChildren();
    for (const field of data.headerParameters) {
      term(fields, "header " + field.name, field.value, field.meaning);
    }
    for (const field of data.claims) {
      term(fields, field.name, field.value, field.meaning, field.time ? field.time + ", " + field.relative + "." : field.relative);
    }
  }

  // sign builds a token from the edited header and payload, signed again
  // with the sandbox key (resign true) or with the old signature kept.
  async function sign(resign) {
    let header;
    let payload;
    try {
      header = JSON.parse($("inspector-header").value);
      payload = JSON.parse($("inspector-payload").value);
    } catch (err) {
      $("inspector-result").textContent = "The header or payload is not valid JSON: " + err.message + ".";
      return;
    }
    const body = { header: header, payload: payload, resign: resign };
    if (!resign) {
      body.token = $("inspector-token").value.trim();
    }
    const result = await call("POST", "/sign", { body: body });
    if (result.status !== 200) {
      $("inspector-result").textContent = describe(result);
      return;
    }
    $("inspector-token").value = result.data.token;
    await inspect();
  }

  function line(label, value) {
    const p = document.createElement("div");
    p.className = "line";
    p.textContent = label + value;
    return p;
  }

  async function refreshTranscript() {
    let data;
    try {
      const response = await fetch(api + "/transcript", { credentials: "same-origin" });
      data = await response.json();
    } catch (err) {
      return;
    }
    const list = $("transcript");
    list.replaceChildren();
    const oldestFirst = data.exchanges || [];
    const items = [];
    const exchanges = oldestFirst.slice().reverse();
    for (const x of exchanges) {
      const item = document.createElement("li");
      item.className = "exchange";
      const status = document.createElement("span");
      status.className = "status-" + String(x.status).charAt(0);
      status.textContent = String(x.status);
      const head = line(x.method + " " + x.path + "  → ", "");
      head.appendChild(status);
      item.appendChild(head);
      item.appendChild(line("at ", x.time));
      if (x.authorization) {
        item.appendChild(line("Authorization: ", x.authorization));
      }
      if (x.cookie) {
        item.appendChild(line("Cookie: ", x.cookie));
      }
      if (x.requestBody) {
        const sent = document.createElement("pre");
        sent.textContent = "Request body: " + x.requestBody + (x.requestBodyTruncated ? " …" : "");
        item.appendChild(sent);
      }
      if (x.wwwAuthenticate) {
        item.appendChild(line("WWW-Authenticate: ", x.wwwAuthenticate));
      }
      if (x.setCookie) {
        item.appendChild(line("Set-Cookie: ", x.setCookie));
      }
      if (x.responseBody) {
        const pre = document.createElement("pre");
        pre.textContent = "Response body: " + x.responseBody + (x.responseBodyTruncated ? " …" : "");
        item.appendChild(pre);
      }
      list.appendChild(item);
      items.unshift(item);
    }

    // timeline.js and curl.js listen: items[i] is the list item of
    // exchanges[i], both oldest first.
    document.dispatchEvent(new CustomEvent("playground:transcript", { detail: { exchanges: oldestFirst, items: items } }));
  }

  // showClock writes the playground time and sends it to timeline.js.
  function showClock(now) {
    $("clock-now").textContent = now;
    clockNow = new Date(now);
    clockReadAt = Date.now();
    showCountdown();
    document.dispatchEvent(new CustomEvent("playground:clock", { detail: { now: now } }));
  }

  document.addEventListener("click", function (event) {
    const button = event.target.closest("button");
    if (!button) {
      return;
    }
    if (button.dataset.advance) {
      advance(Number(button.dataset.advance));
    } else if (actions[button.dataset.action]) {
      actions[button.dataset.action]();
    }
  });

  refreshClock();
  refreshTranscript();
  loadSettings();
  setInterval(showCountdown, 1000);
})();
