// Counts one view of the article on this page, once it has loaded: no
// cookie is sent or set, and nothing is kept in the browser.
(function () {
  "use strict";
  var script = document.currentScript;
  // Signed for this page view alone: it counts once.
  var token = script.dataset.token;
  var url = script.dataset.url;

  function count() {
    var body = new URLSearchParams({ token: token });
    fetch(url, {
      method: "POST",
      body: body,
      credentials: "omit",
      keepalive: true,
    }).catch(function () {});
  }

  function whenShown() {
    // A page prerendered for a click that never comes is no view.
    if (document.prerendering) {
      document.addEventListener("prerenderingchange", count, { once: true });
    } else {
      count();
    }
  }

  if (document.readyState === "complete") {
    whenShown();
  } else {
    window.addEventListener("load", whenShown, { once: true });
  }
})();
