// Lesson pages: the Left and Right arrow keys open the previous and the
// next lesson, the same pages as the pager links at the bottom.
"use strict";

(function () {
  // isEditing reports whether the key is meant for a form field, an
  // editable region or a code block that scrolls sideways.
  function isEditing(target) {
    if (!(target instanceof Element)) {
      return false;
    }
    return target.isContentEditable || target.closest("input, textarea, select, pre, [contenteditable]") !== null;
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    if (isEditing(event.target)) {
      return;
    }
    let rel;
    if (event.key === "ArrowLeft") {
      rel = "prev";
    } else if (event.key === "ArrowRight") {
      rel = "next";
    } else {
      return;
    }
    const link = document.querySelector('.pager a[rel="' + rel + '"]');
    if (link) {
      event.preventDefault();
      window.location.href = link.href;
    }
  });
})();
