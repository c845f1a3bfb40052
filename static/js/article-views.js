// Counts one view of the article on this page, once it has loaded: no
// cookie is sent or set, and nothing is kept in the browser.
(function () {
  "use strict";
  var script = document.currentScript;
  // Signed for this page view alone: it counts once. A page shared by a
  // cache (our nginx) carries only the placeholder for it, and each reader
  // fetches a token of their own.
  var token = script.dataset.token;
  var url = script.dataset.url;
  var tokenUrl = script.dataset.tokenUrl;
  var PLACEHOLDER = "newsroom-view-token:";

  function send(token) {
    var body = new URLSearchParams({ token: token });
    fetch(url, {
      method: "POST",
      body: body,
      credentials: "omit",
      keepalive: true,
    }).catch(function () {});
  }

  function count() {
    if (token.indexOf(PLACEHOLDER) !== 0) {
      send(token);
      return;
    }
    fetch(tokenUrl, { credentials: "omit" })
      .then(function (response) {
        return response.ok ? response.json() : Promise.reject(response.status);
      })
      .then(function (data) {
        send(data.token);
      })
      .catch(function () {});
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
