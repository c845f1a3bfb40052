// Embeds: nothing is loaded from a provider until the reader clicks. The
// click creates the provider's frame; "Immer von … laden" loads every
// embed of that provider on this page, including ticker entries that
// arrive later, and is forgotten with the page: nothing is stored.
(function () {
  "use strict";
  var always = new Set();

  function load(embed) {
    var address = embed.getAttribute("data-embed-frame");
    if (!address || embed.querySelector("iframe")) return;
    var frame = document.createElement("iframe");
    frame.src = address;
    frame.title = embed.querySelector(".embed__title").textContent.trim();
    frame.className = "embed__frame embed__frame--" + embed.getAttribute("data-provider");
    frame.setAttribute("allow", "autoplay; encrypted-media; fullscreen; picture-in-picture");
    frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
    embed.querySelector(".embed__placeholder").replaceWith(frame);
    embed.classList.add("embed--loaded");
  }

  function prepare(root) {
    root.querySelectorAll("[data-embed]").forEach(function (embed) {
      if (always.has(embed.getAttribute("data-provider"))) {
        load(embed);
        return;
      }
      var actions = embed.querySelector(".embed__actions");
      if (actions) actions.hidden = false;
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest(".embed__load");
    if (!button) return;
    var embed = button.closest("[data-embed]");
    var provider = embed.getAttribute("data-provider");
    if (embed.querySelector(".embed__always input").checked) {
      always.add(provider);
      document.querySelectorAll('[data-embed][data-provider="' + provider + '"]').forEach(load);
    } else {
      load(embed);
    }
  });

  prepare(document);
  // Ticker entries arrive after the page has loaded.
  new MutationObserver(function (changes) {
    changes.forEach(function (change) {
      change.addedNodes.forEach(function (node) {
        if (node.nodeType === 1) prepare(node);
      });
    });
  }).observe(document.body, { childList: true, subtree: true });
})();
