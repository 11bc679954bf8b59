// Support threads poll for new messages with htmx; this pauses polling while the tab is hidden
// and catches up as soon as it is visible again. Without it (or without JavaScript) the page
// still shows every message on reload.
(function () {
  if (window.supportPollReady) return;
  window.supportPollReady = true;
  document.addEventListener("htmx:confirm", function (event) {
    if (document.hidden && event.target.hasAttribute("data-support-poll")) {
      event.preventDefault();
    }
  });
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) document.dispatchEvent(new Event("supportvisible"));
  });
})();
