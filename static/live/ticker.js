// Liveticker: asks for what changed since the revision the page shows.
//
// Every reader who is up to date asks the same address, which the page
// cache and nginx's micro-cache answer for all of them. New entries wait
// behind an "N neue Einträge" button instead of moving the text someone
// is reading; edits and deletions replace their entry in place.
(function () {
  "use strict";
  var POLL_MILLISECONDS = 1000;
  var section = document.querySelector("[data-ticker]");
  if (!section || section.dataset.running !== "true" || !window.fetch) return;

  var revision = Number(section.dataset.revision);
  var url = section.dataset.pollUrl;
  var stream = section.querySelector("[data-ticker-stream]");
  var news = section.querySelector("[data-ticker-news]");
  var button = news.querySelector("button");
  var waiting = [];
  var reloadInstead = false;

  function element(html) {
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  function showButton() {
    if (reloadInstead) {
      button.textContent = "Neue Einträge – Seite neu laden";
    } else if (waiting.length === 1) {
      button.textContent = "1 neuer Eintrag";
    } else {
      button.textContent = waiting.length + " neue Einträge";
    }
    news.hidden = !reloadInstead && waiting.length === 0;
  }

  function take(entry) {
    var fresh = element(entry.html);
    var shown = stream.querySelector('[data-entry="' + entry.id + '"]');
    if (shown) {
      shown.replaceWith(fresh);
      return;
    }
    for (var i = 0; i < waiting.length; i++) {
      if (waiting[i].dataset.entry === String(entry.id)) {
        waiting[i] = fresh;
        return;
      }
    }
    waiting.push(fresh);
  }

  function ended() {
    var live = section.querySelector(".ticker__live");
    if (live) live.remove();
    var note = document.createElement("p");
    note.className = "ticker__ended";
    note.textContent = "Der Ticker ist beendet.";
    section.querySelector(".ticker__title").after(note);
  }

  function apply(answer) {
    answer.entries.forEach(take);
    section.querySelector("[data-ticker-pinned]").innerHTML = answer.pinned;
    section.querySelector("[data-ticker-key-events]").innerHTML = answer.key_events;
    reloadInstead = reloadInstead || answer.reload;
    revision = answer.revision;
    showButton();
    if (!answer.running) ended();
    return answer.running;
  }

  button.addEventListener("click", function () {
    if (reloadInstead) {
      window.location.reload();
      return;
    }
    // Oldest first, each on top: the newest ends up first.
    waiting.forEach(function (entry) {
      stream.insertBefore(entry, stream.firstChild);
    });
    waiting = [];
    showButton();
  });

  function poll() {
    if (document.hidden) {
      window.setTimeout(poll, POLL_MILLISECONDS);
      return;
    }
    fetch(url + "?seit=" + revision, { credentials: "omit" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (answer) {
        if (apply(answer)) window.setTimeout(poll, POLL_MILLISECONDS);
      })
      .catch(function () {
        // The network or the server had a moment: try again a little later.
        window.setTimeout(poll, POLL_MILLISECONDS * 5);
      });
  }

  window.setTimeout(poll, POLL_MILLISECONDS);
})();
