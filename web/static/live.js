// Refreshes the page when the course folder changes. The server loads
// this script only when it follows a content folder (learn --content).
"use strict";

(function () {
  const events = new EventSource("/events/content");
  events.addEventListener("reload", function () {
    window.location.reload();
  });
})();
