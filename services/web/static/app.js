// Live updates and keyboard moves of the team pages. Plain script, no build step.
(function () {
  "use strict";

  // Server-sent events: an element with data-live="/live?..." gets an `sb-change` event
  // whenever something it shows changed; htmx (hx-trigger="sb-change") refetches it.
  function connect(el) {
    var source = new EventSource(el.getAttribute("data-live"));
    source.addEventListener("change", function () {
      if (window.htmx) { window.htmx.trigger(el, "sb-change"); }
    });
    el.sbSource = source;
  }

  // j / k move between the rows of a work list; Enter opens the focused row (it is a link).
  function rowLinks() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-keynav] .sb-row-link"));
  }

  // The row the officer moved to, by its link: a live refetch replaces the rows, and must not
  // take the officer's place in the list away.
  var current = null;

  function mark(links, next) {
    links.forEach(function (a) { a.closest("tr").classList.remove("sb-current"); });
    links[next].closest("tr").classList.add("sb-current");
    links[next].focus();
    current = links[next].getAttribute("href");
  }

  function move(step) {
    var links = rowLinks();
    if (!links.length) { return; }
    var at = links.indexOf(document.activeElement);
    var next = at < 0 ? (step > 0 ? 0 : links.length - 1)
      : Math.min(links.length - 1, Math.max(0, at + step));
    mark(links, next);
  }

  // After a live swap, put the officer back on the same row, unless they are elsewhere now.
  document.addEventListener("htmx:afterSwap", function () {
    if (!current || (document.activeElement && document.activeElement !== document.body)) {
      return;
    }
    var links = rowLinks();
    for (var i = 0; i < links.length; i++) {
      if (links[i].getAttribute("href") === current) { mark(links, i); return; }
    }
  });

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.isContentEditable ||
      /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (typing || event.altKey || event.ctrlKey || event.metaKey) { return; }
    if (event.key === "j") { move(1); event.preventDefault(); }
    if (event.key === "k") { move(-1); event.preventDefault(); }
  });

  // Text typed into a checked field before htmx was listening (a slow page load) fired no
  // `input` htmx saw, and htmx's `changed` now takes that text as the starting value; ask for
  // the check with its own event, or the officer sees no verdict until the next keystroke.
  function checkEarlyTyping() {
    document.querySelectorAll("textarea[hx-trigger~='sb-check']").forEach(function (el) {
      if (el.value !== el.defaultValue && window.htmx) { window.htmx.trigger(el, "sb-check"); }
    });
  }

  // htmx.min.js is deferred before this script, so its own DOMContentLoaded listener (the one
  // that binds hx-trigger) runs before this one.
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-live]").forEach(connect);
    checkEarlyTyping();
  });
})();
