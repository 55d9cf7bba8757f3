// "Copy as curl" on each exchange of the playground's transcript: a
// command that sends the same request from a terminal. The learner's
// learn_learner cookie, which picks their sandbox, never goes into the
// command: the page cannot read it (it is HttpOnly), and a command pasted
// into a chat or a bug report must not carry it. The command uses the
// shell variables $LEARN_LEARNER and $PG_SESSION in place of the cookie
// values, and the note above the transcript tells where to find them.
"use strict";

(function () {
  // shellQuote quotes s for a POSIX shell, in single quotes.
  function shellQuote(s) {
    return "'" + s.replace(/'/g, "'\\''") + "'";
  }

  // curlCommand returns the command for one transcript exchange.
  function curlCommand(x) {
    const notes = [];
    const args = ["curl", "-i"];
    if (x.method !== "GET") {
      args.push("-X", x.method);
    }
    args.push(shellQuote(location.origin + x.path));

    // The transcript shows only the first characters of the session
    // cookie, so its value comes from a variable too.
    const cookies = ["learn_learner=$LEARN_LEARNER"];
    if (x.cookie) {
      cookies.push("pg_session=$PG_SESSION");
    }
    args.push("-b", '"' + cookies.join("; ") + '"');

    if (x.authorization) {
      if (x.authorizationTruncated) {
        notes.push("# The transcript cut the Authorization header: set TOKEN to the whole token.");
        args.push("-H", '"Authorization: Bearer $TOKEN"');
      } else {
        args.push("-H", shellQuote("Authorization: " + x.authorization));
      }
    }
    if (x.requestBody) {
      if (x.requestBodyTruncated) {
        notes.push("# The transcript cut the request body, so this command sends only its start.");
      }
      args.push("-H", shellQuote("Content-Type: application/json"), "--data-raw", shellQuote(x.requestBody));
    }

    notes.unshift("# Set LEARN_LEARNER to your learn_learner cookie" + (x.cookie ? " and PG_SESSION to your pg_session cookie" : "") + " first.");
    return notes.join("\n") + "\n" + args.join(" ");
  }

  // addButton puts a Copy as curl button, a status line and the command
  // under one exchange of the transcript.
  function addButton(x, item, index) {
    const line = item.querySelector(".line");
    line.id = "exchange-" + index;

    const tools = document.createElement("div");
    tools.className = "curl-tools";
    const button = document.createElement("button");
    button.type = "button";
    button.className = "secondary copy-curl";
    button.textContent = "Copy as curl";
    button.setAttribute("aria-describedby", line.id);
    const status = document.createElement("span");
    status.className = "curl-status";
    status.setAttribute("role", "status");
    const command = document.createElement("pre");
    command.className = "curl";
    command.tabIndex = 0;
    command.hidden = true;
    command.textContent = curlCommand(x);
    tools.append(button, " ", status);
    item.append(tools, command);

    button.addEventListener("click", async function () {
      // The command is shown as well, so that it can be selected by hand
      // where the clipboard is not available.
      command.hidden = false;
      try {
        await navigator.clipboard.writeText(command.textContent);
        status.textContent = "Copied.";
      } catch (err) {
        status.textContent = "Could not copy (" + err.message + "); select the command below and copy it.";
      }
    });
  }

  document.addEventListener("playground:transcript", function (event) {
    event.detail.exchanges.forEach(function (x, i) {
      addButton(x, event.detail.items[i], i);
    });
  });
})();
