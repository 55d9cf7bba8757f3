// Applies the theme that the visitor chose, light or dark, by setting
// data-theme on <html>. Without a choice the attribute is absent and the
// stylesheets follow prefers-color-scheme. The layout loads this script in
// <head> without defer, so the theme is set before the first paint.
"use strict";

(function () {
  const storageKey = "learn-theme";
  const themes = ["system", "light", "dark"];
  const root = document.documentElement;

  // Storage access throws when the browser blocks it, as some do for
  // pages opened from files or with cookies disabled.
  function storedTheme() {
    try {
      const theme = localStorage.getItem(storageKey);
      return themes.includes(theme) ? theme : "system";
    } catch (err) {
      return "system";
    }
  }

  function storeTheme(theme) {
    try {
      if (theme === "system") {
        localStorage.removeItem(storageKey);
      } else {
        localStorage.setItem(storageKey, theme);
      }
    } catch (err) {
      // The choice then lasts until the next page only.
    }
  }

  function applyTheme(theme) {
    if (theme === "system") {
      delete root.dataset.theme;
    } else {
      root.dataset.theme = theme;
    }
  }

  applyTheme(storedTheme());

  // labelToggle shows the current theme on the toggle, once the body is
  // parsed.
  function labelToggle(theme) {
    const button = document.getElementById("theme-toggle");
    if (button) {
      button.textContent = "Theme: " + theme;
    }
    return button;
  }

  // The toggle is hidden in the HTML, so that visitors without JavaScript
  // never see a button that does nothing. Each press moves to the next
  // theme: system, light, dark, and back to system.
  document.addEventListener("DOMContentLoaded", function () {
    const button = labelToggle(storedTheme());
    if (!button) {
      return;
    }
    button.title = "Switch between the system, light and dark themes";
    button.hidden = false;
    button.addEventListener("click", function () {
      const current = root.dataset.theme || "system";
      const next = themes[(themes.indexOf(current) + 1) % themes.length];
      applyTheme(next);
      storeTheme(next);
      labelToggle(next);
    });
  });

  // Another tab of this site changed the theme.
  window.addEventListener("storage", function (event) {
    if (event.key === storageKey || event.key === null) {
      const theme = storedTheme();
      applyTheme(theme);
      labelToggle(theme);
    }
  });
})();
