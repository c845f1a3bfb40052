// Teasers of the last hour say "vor 5 Min." instead of their clock time.
// The server writes the clock time, which stays true in a stored page;
// only the reader's own screen knows how long ago that was.
(function () {
  "use strict";
  var HOUR = 60;

  function relative(element) {
    var minutes = Math.floor((Date.now() - Date.parse(element.dateTime)) / 60000);
    var clock = element.dataset.clock || element.textContent;
    if (isNaN(minutes) || minutes < 0 || minutes >= HOUR) {
      element.textContent = clock;
      return;
    }
    element.dataset.clock = clock;
    element.title = clock + " Uhr";
    element.textContent = minutes < 1 ? "gerade eben" : "vor " + minutes + " Min.";
  }

  function update() {
    document.querySelectorAll("time.teaser-time").forEach(relative);
  }

  update();
  setInterval(update, 60000);
})();
