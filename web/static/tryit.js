// Try-it panels in lessons: the Run button fetches the panel's scenario
// from the playground API, sends its requests in order, and lists each
// request and response with whether the status matched the expected one.
"use strict";

(function () {
  const api = "/playground/api";

  // send is fetch, one request at a time for the whole page. Reading a
  // lesson sets no cookie, so a reader's first request here gets a new
  // learner cookie in its response. A second request that left before
  // that response arrived would get another one, and the two panels
  // would use different sandboxes.
  let queue = Promise.resolve();
  function send(url, init) {
    const response = queue.then(function () { return fetch(url, init); });
    queue = response.catch(function () {});
    return response;
  }

  // base64url encodes and decodes text as JWT segments do: base64 with
  // - and _ in place of + and /, and no padding.
  function fromBase64url(segment) {
    const base64 = segment.replace(/-/g, "+").replace(/_/g, "/");
    const bytes = Uint8Array.from(atob(base64), function (c) { return c.charCodeAt(0); });
    return new TextDecoder().decode(bytes);
  }
  function toBase64url(text) {
    let binary = "";
    for (const byte of new TextEncoder().encode(text)) {
      binary += String.fromCharCode(byte);
    }
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  // tamper sets the payload's sub claim to "admin" and keeps the old
  // signature, the change that the playground documents for the
  // "tampered" token choice. The payload stays valid JSON, so only the
  // signature check can catch it.
  function tamper(token) {
    const parts = token.split(".");
    try {
      const claims = JSON.parse(fromBase64url(parts[1]));
      claims.sub = "admin";
      parts[1] = toBase64url(JSON.stringify(claims));
      return parts.join(".");
    } catch (err) {
      return token + "x";
    }
  }

  // quote wraps s in single quotes for a POSIX shell.
  function quote(s) {
    return "'" + s.replace(/'/g, "'\\''") + "'";
  }

  // curlCommand returns a command that sends a step's request from a
  // terminal. Cookies stay out of it: the page cannot read them, and a
  // shared command must not carry them, so shell variables stand in.
  function curlCommand(step, bearer) {
    const cookies = ["learn_learner=$LEARN_LEARNER"];
    if (step.path.startsWith("/session/")) {
      cookies.push("pg_session=$PG_SESSION");
    }
    const args = ["curl", "-i", "-X", step.method, quote(location.origin + api + step.path), "-b", '"' + cookies.join("; ") + '"'];
    if (bearer) {
      args.push("-H", quote("Authorization: Bearer " + bearer));
    }
    if (step.body !== undefined) {
      args.push("-H", quote("Content-Type: application/json"), "--data-raw", quote(JSON.stringify(step.body)));
    }
    return "# Set LEARN_LEARNER (and PG_SESSION for session routes) to your cookies first; the playground page says where to find them.\n" + args.join(" ");
  }

  // addCurl puts a Copy as curl button under a step, with a status line
  // that screen readers announce.
  function addCurl(item, command) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "secondary tryit-curl";
    button.textContent = "Copy as curl";
    const status = document.createElement("span");
    status.setAttribute("role", "status");
    const pre = document.createElement("pre");
    pre.className = "tryit-curl-command";
    pre.textContent = command;
    pre.hidden = true;
    button.addEventListener("click", async function () {
      pre.hidden = false;
      try {
        await navigator.clipboard.writeText(command);
        status.textContent = " Copied.";
      } catch (err) {
        status.textContent = " Copy the command below.";
      }
    });
    const row = document.createElement("div");
    row.append(button, status);
    item.append(row, pre);
  }

  function abbreviate(value, length) {
    return value.length > length ? value.slice(0, length) + "…" : value;
  }

  function line(text, className) {
    const div = document.createElement("div");
    div.className = className || "line";
    div.textContent = text;
    return div;
  }

  // lastExchange returns the newest transcript entry, which shows the
  // pg_session cookie as the server received it; page scripts cannot read
  // the HttpOnly cookie themselves.
  async function lastExchange() {
    try {
      const response = await send(api + "/transcript", { credentials: "same-origin" });
      const data = await response.json();
      const exchanges = data.exchanges || [];
      return exchanges[exchanges.length - 1] || null;
    } catch (err) {
      return null;
    }
  }

  async function runStep(step, state, list) {
    const item = document.createElement("li");
    list.appendChild(item);
    item.appendChild(line(step.note, "note"));
    if (!step.method) {
      return true;
    }

    const init = { method: step.method, headers: {}, credentials: "same-origin" };
    if (step.body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(step.body);
    }
    let bearer = "";
    if (step.token === "issued") {
      bearer = state.token;
    } else if (step.token === "tampered") {
      bearer = tamper(state.token);
    }
    if (bearer) {
      init.headers["Authorization"] = "Bearer " + bearer;
    }

    item.appendChild(line(step.method + " " + api + step.path));
    item.appendChild(line("Authorization: " + (bearer ? "Bearer " + abbreviate(bearer, 24) : "not sent")));
    addCurl(item, curlCommand(step, bearer));

    let status = 0;
    let body = "";
    let challenge = "";
    try {
      const response = await send(api + step.path, init);
      status = response.status;
      challenge = response.headers.get("WWW-Authenticate") || "";
      body = await response.text();
    } catch (err) {
      item.appendChild(line("The request failed: " + err.message + ". Is the server still running?", "mismatch"));
      return false;
    }

    const exchange = await lastExchange();
    if (exchange && exchange.path === api + step.path) {
      item.appendChild(line("Cookie: " + (exchange.cookie || "no pg_session cookie sent")));
    }

    if (step.path === "/jwt/login" && status === 200) {
      try {
        state.token = JSON.parse(body).token || "";
      } catch (err) {
        state.token = "";
      }
    }

    const matched = status === step.expectStatus;
    item.appendChild(line(
      "Status: " + status + ", expected " + step.expectStatus + (matched ? " (matches)" : " (does not match)"),
      matched ? "line match" : "line mismatch",
    ));
    if (challenge) {
      item.appendChild(line("WWW-Authenticate: " + challenge));
    }
    const pre = document.createElement("pre");
    pre.textContent = body;
    item.appendChild(pre);
    return matched;
  }

  // runLab runs a lab scenario on the server and lists, for each step,
  // what happened on both sides and why they differ where they do.
  async function runLab(scenario, list, status) {
    const response = await send(api + "/scenarios/" + encodeURIComponent(scenario.name) + "/run", {
      method: "POST",
      credentials: "same-origin",
    });
    const run = await response.json();
    if (!response.ok) {
      status.textContent = run.error || "The scenario could not be run.";
      return;
    }
    for (const step of run.steps) {
      const item = document.createElement("li");
      item.appendChild(line(step.note, "note"));
      step.lanes.forEach(function (lane, i) {
        item.appendChild(line(run.lanes[i].label + ": " + lane.summary));
      });
      if (step.diverged) {
        item.appendChild(line("Why they differ: " + step.explanation, "why"));
      }
      list.appendChild(item);
    }
    const link = document.createElement("a");
    link.href = run.share;
    link.textContent = "Open it in the lab, with the requests and what each side holds";
    const paragraph = document.createElement("p");
    paragraph.className = "tryit-lab-link";
    paragraph.appendChild(link);
    list.after(paragraph);
    status.textContent = "Done: the two sides differed at " + run.divergedSteps + " of " + run.steps.length + " steps.";
  }

  async function run(panel) {
    const button = panel.querySelector(".tryit-run");
    const status = panel.querySelector(".tryit-status");
    const list = panel.querySelector(".tryit-transcript");
    button.disabled = true;
    list.replaceChildren();
    for (const old of panel.querySelectorAll(".tryit-lab-link")) {
      old.remove();
    }
    status.textContent = "Running…";

    try {
      const response = await send(api + "/scenarios/" + encodeURIComponent(panel.dataset.scenario), { credentials: "same-origin" });
      const scenario = await response.json();
      if (!response.ok) {
        status.textContent = scenario.error || "The scenario could not be loaded.";
        return;
      }

      if (scenario.kind === "lab") {
        await runLab(scenario, list, status);
        return;
      }

      const state = { token: "" };
      let requests = 0;
      let mismatches = 0;
      for (const step of scenario.steps) {
        const matched = await runStep(step, state, list);
        if (step.method) {
          requests++;
        }
        if (!matched) {
          mismatches++;
        }
      }
      status.textContent = mismatches === 0
        ? "Done: all " + requests + " statuses matched."
        : "Done: " + mismatches + " of " + requests + " statuses did not match the expected ones.";
    } catch (err) {
      status.textContent = "The scenario could not be run: " + err.message + ". Is the server still running?";
    } finally {
      button.disabled = false;
    }
  }

  for (const panel of document.querySelectorAll(".tryit[data-scenario]")) {
    const button = panel.querySelector(".tryit-run");
    if (button) {
      button.addEventListener("click", function () {
        run(panel);
      });
    }
  }
})();
