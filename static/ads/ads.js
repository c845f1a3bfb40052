/*
 * Newsroom ad counting: served and viewable beacons, first party only.
 *
 * Viewable means at least half of the ad inside the viewport for one
 * continuous second while the tab is visible (the IAB/MRC display standard).
 * The script stores nothing on the device: no cookies, no localStorage.
 *
 * On a page shared by a cache (our nginx) the slots come pending, with no
 * ad in them: the script first asks data-fill for this reader's ads, puts
 * them in, and then counts them like ads the server filled in.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var endpoint = script && script.dataset.endpoint;
  if (!endpoint) {
    return;
  }
  var fillUrl = script.dataset.fill;
  var VISIBLE_SHARE = 0.5;
  var VISIBLE_MS = 1000;

  function send(event, tokens) {
    if (!tokens.length) {
      return;
    }
    var body = new URLSearchParams();
    tokens.forEach(function (token) {
      body.append(event, token);
    });
    if (navigator.sendBeacon && navigator.sendBeacon(endpoint, body)) {
      return;
    }
    fetch(endpoint, {
      method: "POST",
      body: body,
      keepalive: true,
      credentials: "same-origin",
    }).catch(function () {});
  }

  function watchViewability(ads) {
    if (!("IntersectionObserver" in window)) {
      return;
    }
    var timers = new Map();
    var inView = new Set();

    function start(ad) {
      if (timers.has(ad) || document.visibilityState !== "visible") {
        return;
      }
      timers.set(
        ad,
        window.setTimeout(function () {
          timers.delete(ad);
          inView.delete(ad);
          observer.unobserve(ad);
          send("viewable", [ad.dataset.adToken]);
        }, VISIBLE_MS)
      );
    }

    function stop(ad) {
      if (timers.has(ad)) {
        window.clearTimeout(timers.get(ad));
        timers.delete(ad);
      }
    }

    var observer = new IntersectionObserver(
      function (entries) {
        entries.forEach(function (entry) {
          if (entry.isIntersecting && entry.intersectionRatio >= VISIBLE_SHARE) {
            inView.add(entry.target);
            start(entry.target);
          } else {
            inView.delete(entry.target);
            stop(entry.target);
          }
        });
      },
      { threshold: [0, VISIBLE_SHARE, 1] }
    );

    document.addEventListener("visibilitychange", function () {
      inView.forEach(document.visibilityState === "visible" ? start : stop);
    });
    ads.forEach(function (ad) {
      observer.observe(ad);
    });
  }

  function run() {
    var ads = Array.prototype.slice.call(
      document.querySelectorAll("[data-ad-token]")
    );
    send(
      "served",
      ads.map(function (ad) {
        return ad.dataset.adToken;
      })
    );
    watchViewability(ads);
  }

  function place(pending, markup) {
    if (typeof markup === "string") {
      var template = document.createElement("template");
      template.innerHTML = markup;
      pending.replaceWith(template.content);
    } else if (pending.classList.contains("ad-pending--fallback")) {
      // No ad for this reader: what the slot holds stays.
      pending.replaceWith.apply(pending, pending.childNodes);
    } else {
      // No ad for this reader: the space kept for it goes.
      pending.remove();
    }
  }

  function fill(then) {
    var pending = Array.prototype.slice.call(
      document.querySelectorAll("[data-ad-pending]")
    );
    if (!fillUrl || !pending.length) {
      then();
      return;
    }
    fetch(fillUrl, { credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.json() : {};
      })
      .catch(function () {
        return {};
      })
      .then(function (markup) {
        pending.forEach(function (slot) {
          place(slot, markup[slot.dataset.adPending]);
        });
        then();
      });
  }

  // A page the browser renders ahead of time may never be seen: count it
  // only once the reader actually opens it.
  fill(function () {
    if (document.prerendering) {
      document.addEventListener("prerenderingchange", run, { once: true });
    } else {
      run();
    }
  });
})();
