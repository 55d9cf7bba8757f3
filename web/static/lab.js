// The lab page: Run sends the chosen options to the scenario API and
// shows both transcripts step by step, with the state of each side
// after every step. Without JavaScript the form still works as a link
// builder, and the page says how to run the scenario with curl.
"use strict";

(function () {
  const form = document.getElementById("lab-form");
  if (!form) {
    return;
  }
  const api = "/playground/api/scenarios/";
  const name = form.dataset.scenario;
  const status = document.getElementById("lab-status");
  const list = document.getElementById("lab-steps");
  const runButton = document.getElementById("lab-run");
  const curlButton = document.getElementById("lab-curl");

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function chosenOptions() {
    const options = {};
    for (const select of form.querySelectorAll("select")) {
      options[select.name] = select.value;
    }
    return options;
  }

  // quote wraps a value in single quotes for a POSIX shell.
  function quote(value) {
    return "'" + value.replace(/'/g, "'\\''") + "'";
  }

  function curlCommand() {
    const body = JSON.stringify({ options: chosenOptions() });
    return "curl -sS -X POST " + quote(location.origin + api + name + "/run") +
      " -H 'Content-Type: application/json' -d " + quote(body);
  }

  curlButton.addEventListener("click", async function () {
    const command = curlCommand();
    try {
      await navigator.clipboard.writeText(command);
      status.textContent = "Copied: " + command;
    } catch (err) {
      status.textContent = "Copy this command: " + command;
    }
  });

  function statusClass(code) {
    if (code >= 200 && code < 300) {
      return "ok";
    }
    if (code >= 400 && code < 500) {
      return "refused";
    }
    return "other";
  }

  function headerLines(headers) {
    return (headers || []).map(function (h) {
      return h.name + ": " + h.value;
    }).join("\n");
  }

  // serverLines describes the server side of a lane's state.
  function serverLines(server) {
    const lines = ["Server clock: " + server.clock];
    if (server.sessionStore) {
      lines.push("Sessions in " + server.sessionStore + ": " + (server.sessions || []).length);
      for (const row of server.sessions || []) {
        lines.push("  " + row.store + ": " + row.idHash + " " + row.data + ", last used " + row.lastUsed);
      }
    }
    if ((server.denylist || []).length) {
      lines.push("Denylist: " + server.denylist.join("; "));
    }
    if ((server.refreshTokens || []).length) {
      lines.push("Refresh tokens: " + server.refreshTokens.join("; "));
    }
    lines.push("Signing keys: " + (server.signingKeys || []).join(", "));
    lines.push("Users: " + (server.users || []).join(", "));
    return lines;
  }

  // pairs writes an object's entries as "key=value", or fallback when it
  // has none.
  function pairs(object, fallback) {
    const entries = Object.keys(object || {}).map(function (k) {
      return k + "=" + object[k];
    });
    return entries.length ? entries.join(", ") : fallback;
  }

  // clientLines describes the browser and the attacker of a lane.
  function clientLines(client) {
    const cookies = (client.cookies || []).map(function (c) {
      return c.name + "=" + c.value + (c.httpOnly ? "; HttpOnly" : "") + (c.secure ? "; Secure" : "") +
        (c.sameSite ? "; SameSite=" + c.sameSite : "");
    });
    return [
      "Browser cookies: " + (cookies.length ? cookies.join(" | ") : "none"),
      "localStorage: " + pairs(client.localStorage, "empty"),
      "Attacker holds: " + pairs(client.attacker, "nothing"),
    ];
  }

  function stateBlock(state) {
    const details = element("details", "lab-state");
    details.appendChild(element("summary", "", "What each side holds now"));
    const lines = serverLines(state.server).concat(clientLines(state.client));
    details.appendChild(element("pre", "", lines.join("\n")));
    return details;
  }

  function laneCell(label, lane) {
    const cell = element("div", "lab-lane");
    cell.appendChild(element("p", "lab-lane-label", label));
    if (lane.kind === "request") {
      const exchange = lane.exchange;
      const request = exchange.request;
      cell.appendChild(element("p", "lab-request",
        request.method + " " + new URL(request.url).pathname + " (replica " + exchange.replica.toUpperCase() + ")"));
      if (lane.browser) {
        cell.appendChild(element("p", "lab-browser", "Browser: " + lane.browser));
      }
      cell.appendChild(element("p", "lab-status " + statusClass(lane.status), lane.summary));
      const details = element("details", "lab-exchange");
      details.appendChild(element("summary", "", "Request and response"));
      const text = [request.method + " " + request.url, headerLines(request.headers)];
      if (request.body) {
        text.push("", request.body.length > 300 ? request.body.slice(0, 300) + "…" : request.body);
      }
      text.push("", "HTTP " + exchange.response.status, headerLines(exchange.response.headers), "",
        JSON.stringify(exchange.response.body, null, 2));
      details.appendChild(element("pre", "", text.filter(function (line, i) {
        return line !== "" || i > 0;
      }).join("\n")));
      cell.appendChild(details);
    } else {
      const kind = lane.kind === "event" ? "On the server: " : "Client side: ";
      cell.appendChild(element("p", "lab-event", kind + lane.summary));
    }
    cell.appendChild(stateBlock(lane.state));
    return cell;
  }

  function show(run) {
    // The lane names follow the options of this run.
    const names = form.querySelectorAll(".lab-lane-name");
    run.lanes.forEach(function (lane, i) {
      if (names[i]) {
        names[i].textContent = lane.label;
      }
    });
    const notices = document.getElementById("lab-notices");
    notices.replaceChildren();
    for (const notice of run.notices || []) {
      notices.appendChild(element("li", "", notice));
    }
    list.replaceChildren();
    for (const step of run.steps) {
      const item = element("li", step.diverged ? "lab-step diverged" : "lab-step");
      item.appendChild(element("p", "note", step.note));
      const lanes = element("div", "lab-lanes");
      step.lanes.forEach(function (lane, i) {
        lanes.appendChild(laneCell(run.lanes[i].label, lane));
      });
      item.appendChild(lanes);
      if (step.diverged) {
        item.appendChild(element("p", "lab-why", "Why they differ: " + step.explanation));
      }
      list.appendChild(item);
    }
  }

  async function runScenario() {
    runButton.disabled = true;
    status.textContent = "Running…";
    try {
      const response = await fetch(api + encodeURIComponent(name) + "/run", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ options: chosenOptions() }),
      });
      const data = await response.json();
      if (!response.ok) {
        status.textContent = (data.error || "The scenario could not be run.") +
          (response.status === 429 ? " Wait a moment and press Run again." : "");
        return;
      }
      show(data);
      history.replaceState(null, "", data.share);
      status.textContent = "Done: the two sides differed at " + data.divergedSteps + " of " + data.steps.length + " steps.";
    } catch (err) {
      status.textContent = "The scenario could not be run: " + err.message + ". Is the server still running?";
    } finally {
      runButton.disabled = false;
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    runScenario();
  });

  // A shared link shows its result at once: the run builds fresh demo
  // apps and changes nothing, so running it on arrival is safe.
  runScenario();
})();
