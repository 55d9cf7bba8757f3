// The playground's timeline: the learner's virtual time from the first
// recorded request to now, with each token's and session's lifetime as a
// bar and each request as a point marked with its status. It redraws
// whenever playground.js reports a new transcript or clock reading, and
// fills a table with the same facts for screen readers and for anyone
// who prefers text.
"use strict";

(function () {
  const chart = document.getElementById("timeline-chart");
  const table = document.getElementById("timeline-table");
  const summary = document.getElementById("timeline-summary");
  if (!chart || !table || !summary) {
    return;
  }

  // The idle timeout starts as the page's default and follows the
  // sandbox's settings once playground.js has loaded them.
  let idleSeconds = Number(chart.dataset.idleSeconds) || 1800;
  const apiPrefix = "/playground/api";

  let exchanges = [];
  let clockNow = null;

  document.addEventListener("playground:transcript", function (event) {
    exchanges = event.detail.exchanges;
    draw();
  });
  document.addEventListener("playground:settings", function (event) {
    idleSeconds = event.detail.sessionIdleSeconds || idleSeconds;
    draw();
  });
  document.addEventListener("playground:clock", function (event) {
    clockNow = new Date(event.detail.now);
    draw();
  });

  // lifetimes reads the token and session lifetimes out of the exchanges,
  // oldest first.
  function lifetimes(list) {
    const bars = [];
    let session = null;
    let tokens = 0;
    let sessions = 0;

    function endSession(at, ending) {
      if (session) {
        session.end = at;
        session.ending = ending;
        session = null;
      }
    }

    for (const x of list) {
      const at = new Date(x.time);
      const path = x.path.startsWith(apiPrefix) ? x.path.slice(apiPrefix.length) : x.path;
      const route = x.method + " " + path;

      if (route === "POST /jwt/login" && x.status === 200) {
        let body = {};
        try {
          body = JSON.parse(x.responseBody);
        } catch (err) {
          // A cut response body has no expiry to read.
        }
        tokens++;
        const expires = body.expiresAt ? new Date(body.expiresAt) : null;
        bars.push({
          kind: "token", name: "Token " + tokens + (body.alg ? " (" + body.alg + ")" : ""),
          start: at, end: expires, ending: expires ? "expires" : "expiry unknown",
        });
      } else if (route === "POST /session/login" && x.status === 200) {
        endSession(at, "replaced by a new login");
        sessions++;
        session = { kind: "session", name: "Session " + sessions, start: at, lastUse: at, end: null, ending: "" };
        bars.push(session);
      } else if (route === "GET /session/data" && session) {
        if (x.status === 200) {
          session.lastUse = at;
        } else if (x.status === 401) {
          endSession(new Date(Math.min(at, session.lastUse.getTime() + idleSeconds * 1000)), "ended: idle timeout passed");
        }
      } else if (route === "POST /session/logout" && x.status === 200) {
        endSession(at, "ended: logged out");
      }
    }

    // A session still open ends when its idle timeout passes, unless the
    // learner uses it before then.
    for (const bar of bars) {
      if (bar.kind === "session" && bar.end === null) {
        bar.end = new Date(bar.lastUse.getTime() + idleSeconds * 1000);
        bar.ending = "ends after " + Math.round(idleSeconds / 60) + " idle minutes";
      }
    }
    return bars;
  }

  function formatTime(date) {
    return date.toISOString().replace("T", " ").slice(0, 19);
  }

  function element(tag, className, text) {
    const e = document.createElement(tag);
    if (className) {
      e.className = className;
    }
    if (text !== undefined) {
      e.textContent = text;
    }
    return e;
  }

  function row(label) {
    const line = element("div", "timeline-row");
    const track = element("div", "timeline-track");
    line.append(element("span", "timeline-label", label), track);
    chart.appendChild(line);
    return track;
  }

  function tableRow(time, event, result) {
    const tr = document.createElement("tr");
    tr.append(element("td", "", time), element("td", "", event), element("td", "", result));
    return tr;
  }

  function draw() {
    chart.replaceChildren();
    const body = table.tBodies[0];
    body.replaceChildren();
    if (exchanges.length === 0) {
      summary.textContent = "No requests yet. Log in or call an endpoint, and the timeline starts.";
      return;
    }

    const bars = lifetimes(exchanges);
    const times = exchanges.map((x) => new Date(x.time).getTime());
    const start = Math.min(...times);
    const now = Math.max(clockNow ? clockNow.getTime() : 0, ...times);
    const end = Math.max(now, ...bars.filter((b) => b.end).map((b) => b.end.getTime()));
    const span = Math.max(end - start, 1000);
    const percent = (t) => (100 * (t - start)) / span;

    // Positions are set through the CSSOM, which the site's
    // Content-Security-Policy allows, unlike style attributes.
    for (const bar of bars) {
      const track = row(bar.name);
      const shape = element("span", "timeline-bar timeline-" + bar.kind);
      const barEnd = bar.end ? bar.end.getTime() : now;
      shape.style.left = percent(bar.start.getTime()) + "%";
      shape.style.width = Math.max(percent(barEnd) - percent(bar.start.getTime()), 0.5) + "%";
      track.appendChild(shape);
      body.appendChild(tableRow(formatTime(bar.start), bar.name + " starts", bar.end ? bar.ending + " at " + formatTime(bar.end) : bar.ending));
    }

    const requests = row("Requests");
    requests.parentElement.classList.add("timeline-requests");
    // Labels of requests close in time take turns on three heights, so
    // that they overlap less. A request far from the one before starts
    // again at the lowest.
    let lane = 0;
    let last = -100;
    exchanges.forEach(function (x) {
      const at = percent(new Date(x.time).getTime());
      lane = at - last < 4 ? (lane + 1) % 3 : 0;
      last = at;
      const point = element("span", "timeline-point status-" + String(x.status).charAt(0));
      point.dataset.status = String(x.status);
      point.dataset.route = x.method + " " + x.path;
      point.title = x.method + " " + x.path + " → " + x.status + " at " + formatTime(new Date(x.time));
      point.classList.add("lane-" + lane);
      point.style.left = at + "%";
      point.appendChild(element("span", "timeline-status", String(x.status)));
      requests.appendChild(point);
      body.appendChild(tableRow(formatTime(new Date(x.time)), x.method + " " + x.path, String(x.status)));
    });

    const nowLine = element("span", "timeline-now");
    nowLine.style.left = percent(now) + "%";
    requests.appendChild(nowLine);

    const axis = element("div", "timeline-axis");
    axis.append(element("span", "", formatTime(new Date(start))), element("span", "", "now: " + formatTime(new Date(now))));
    chart.appendChild(axis);
    body.appendChild(tableRow(formatTime(new Date(now)), "Now, on the playground clock", ""));

    const count = (n, noun) => n + " " + noun + (n === 1 ? "" : "s");
    summary.textContent = count(exchanges.length, "request") + ", " +
      count(bars.filter((b) => b.kind === "token").length, "token") + " and " +
      count(bars.filter((b) => b.kind === "session").length, "session") +
      " from " + formatTime(new Date(start)) + " to " + formatTime(new Date(now)) + ".";
  }
})();
