// Counts one read of the article: a same-origin POST to the view-count
// endpoint, sent once the page is shown. The page itself never writes, so it
// can come from a cache; robots rarely run scripts, the server drops the rest.
(function () {
  "use strict";
  var script = document.querySelector("script[data-view-url]");
  if (!script) {
    return;
  }
  var url = script.getAttribute("data-view-url");
  var sent = false;

  function send() {
    if (sent || document.visibilityState === "hidden") {
      return;
    }
    sent = true;
    if (navigator.sendBeacon && navigator.sendBeacon(url)) {
      return;
    }
    if (window.fetch) {
      window.fetch(url, { method: "POST", credentials: "same-origin", keepalive: true });
    }
  }

  if (document.visibilityState === "visible") {
    send();
  } else {
    // Prerendered or opened in a background tab: count it when it is seen.
    document.addEventListener("visibilitychange", send);
  }
})();
