// Pages through a Bilderstrecke without reloading: buttons, arrow keys and
// swipes fetch the next picture's own page (from the page cache), put its
// gallery in place and its address in the history. Each picture counts as
// a view, through the view script the fetched page carries. Without
// JavaScript the buttons are plain links to the same pages.
(function () {
  "use strict";
  var SWIPE = 50;
  var busy = false;

  function gallery() {
    return document.querySelector("[data-gallery]");
  }

  function link(rel) {
    var current = gallery();
    return current && current.querySelector('a[rel="' + rel + '"]');
  }

  function countView(page) {
    var source = page.querySelector("script[data-token]");
    if (!source) {
      return;
    }
    var script = document.createElement("script");
    Array.prototype.forEach.call(source.attributes, function (attribute) {
      if (attribute.name !== "defer") {
        script.setAttribute(attribute.name, attribute.value);
      }
    });
    document.body.appendChild(script);
  }

  function replaceHead(page) {
    document.title = page.title;
    var canonical = document.querySelector('link[rel="canonical"]');
    var fresh = page.querySelector('link[rel="canonical"]');
    if (canonical && fresh) {
      canonical.href = fresh.href;
    }
  }

  function show(url, remember) {
    if (busy) {
      return;
    }
    busy = true;
    fetch(url, { headers: { Accept: "text/html" } })
      .then(function (response) {
        return response.ok ? response.text() : Promise.reject(response.status);
      })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.querySelector("[data-gallery]");
        if (!fresh) {
          return Promise.reject("no gallery");
        }
        gallery().replaceWith(document.importNode(fresh, true));
        replaceHead(page);
        if (remember) {
          history.pushState({ gallery: true }, "", url);
        }
        countView(page);
        var counter = gallery().querySelector(".gallery__counter");
        if (counter) {
          counter.setAttribute("tabindex", "-1");
          counter.focus({ preventScroll: true });
        }
      })
      .catch(function () {
        window.location.href = url;
      })
      .finally(function () {
        busy = false;
      });
  }

  function go(rel) {
    var target = link(rel);
    if (target) {
      show(target.href, true);
    }
  }

  if (!gallery() || !window.fetch || !window.history.pushState) {
    return;
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-gallery] a[rel]");
    if (!target || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    event.preventDefault();
    show(target.href, true);
  });

  document.addEventListener("keydown", function (event) {
    var typing = event.target.closest("input, textarea, select, [contenteditable]");
    if (typing || event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    if (event.key === "ArrowRight") {
      go("next");
    } else if (event.key === "ArrowLeft") {
      go("prev");
    }
  });

  var start = null;
  document.addEventListener(
    "touchstart",
    function (event) {
      var touch = event.changedTouches[0];
      start = event.target.closest("[data-gallery]")
        ? { x: touch.clientX, y: touch.clientY }
        : null;
    },
    { passive: true },
  );
  document.addEventListener(
    "touchend",
    function (event) {
      if (!start) {
        return;
      }
      var touch = event.changedTouches[0];
      var dx = touch.clientX - start.x;
      var dy = touch.clientY - start.y;
      start = null;
      if (Math.abs(dx) >= SWIPE && Math.abs(dx) > Math.abs(dy)) {
        go(dx < 0 ? "next" : "prev");
      }
    },
    { passive: true },
  );

  window.addEventListener("popstate", function () {
    show(window.location.href, false);
  });
})();
