// The Eilmeldung banner's close button: hides it on this page only. Nothing
// is stored, so the next page shows it again while it runs.
(function () {
  "use strict";
  document.querySelectorAll("[data-eilmeldung]").forEach(function (banner) {
    var button = banner.querySelector(".eilmeldung__close");
    if (!button) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      banner.remove();
    });
  });
})();
