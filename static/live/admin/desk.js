// The ticker desk: Ctrl+Enter (Cmd+Enter on a Mac) posts the entry, and the
// text field has the focus as soon as the editor is ready.
(function () {
  "use strict";
  var form = document.getElementById("ticker-entry-form");
  if (!form) return;
  form.addEventListener(
    "keydown",
    function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        // Before the editor turns it into a line break.
        event.preventDefault();
        event.stopPropagation();
        form.requestSubmit();
      }
    },
    true
  );
  document.addEventListener("prose-editor:ready", function (event) {
    if (form.contains(event.detail.textarea)) event.detail.editor.commands.focus();
  });
})();
