// The gallery's pictures in the article form: rows are ordered by dragging
// (the "Reihenfolge" numbers follow; typing numbers works without this
// script), and many files are uploaded at once, one request each, with the
// progress shown.
(function () {
  "use strict";

  function csrfToken() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function rows(group) {
    return Array.prototype.filter.call(
      group.querySelectorAll("tbody tr.form-row"),
      function (row) {
        return !row.classList.contains("empty-form");
      },
    );
  }

  function renumber(group) {
    rows(group).forEach(function (row, index) {
      var position = row.querySelector('input[name$="-position"]');
      if (position) {
        position.value = index + 1;
      }
    });
  }

  function sortable(group) {
    var dragged = null;
    rows(group).forEach(function (row) {
      row.setAttribute("draggable", "true");
    });
    group.addEventListener("dragstart", function (event) {
      dragged = event.target.closest("tr.form-row");
      if (dragged) {
        dragged.classList.add("gallery-dragging");
        event.dataTransfer.effectAllowed = "move";
      }
    });
    group.addEventListener("dragover", function (event) {
      var over = event.target.closest("tr.form-row");
      if (!dragged || !over || over === dragged) {
        return;
      }
      event.preventDefault();
      var box = over.getBoundingClientRect();
      var after = event.clientY > box.top + box.height / 2;
      over.parentNode.insertBefore(dragged, after ? over.nextSibling : over);
    });
    group.addEventListener("dragend", function () {
      if (dragged) {
        dragged.classList.remove("gallery-dragging");
        dragged = null;
        renumber(group);
      }
    });
  }

  function say(list, text, isError) {
    var item = document.createElement("li");
    item.textContent = text;
    if (isError) {
      item.className = "gallery-upload__error";
    }
    list.appendChild(item);
  }

  function uploadOne(url, file, onProgress) {
    return new Promise(function (resolve) {
      var request = new XMLHttpRequest();
      var body = new FormData();
      body.append("image", file);
      request.open("POST", url);
      request.setRequestHeader("X-CSRFToken", csrfToken());
      request.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) {
          onProgress(event.loaded / event.total);
        }
      });
      request.addEventListener("load", function () {
        var answer = {};
        try {
          answer = JSON.parse(request.responseText);
        } catch (error) {
          answer = {};
        }
        resolve({ ok: request.status === 201, error: answer.error });
      });
      request.addEventListener("error", function () {
        resolve({ ok: false, error: file.name + ": Keine Verbindung zum Server." });
      });
      request.send(body);
    });
  }

  function uploader(box) {
    var input = box.querySelector("input[type=file]");
    var bar = box.querySelector("progress");
    var messages = box.querySelector(".gallery-upload__messages");
    input.addEventListener("change", function () {
      var files = Array.prototype.slice.call(input.files);
      var done = 0;
      var stored = 0;
      if (!files.length) {
        return;
      }
      messages.textContent = "";
      bar.hidden = false;
      bar.value = 0;
      input.disabled = true;
      files
        .reduce(function (previous, file) {
          return previous.then(function () {
            return uploadOne(box.dataset.url, file, function (share) {
              bar.value = ((done + share) / files.length) * 100;
            }).then(function (result) {
              done += 1;
              bar.value = (done / files.length) * 100;
              if (result.ok) {
                stored += 1;
                say(messages, file.name + " hochgeladen.", false);
              } else {
                say(messages, result.error || file.name + ": Fehler.", true);
              }
            });
          });
        }, Promise.resolve())
        .then(function () {
          input.disabled = false;
          if (stored && stored === files.length) {
            window.location.reload();
          } else if (stored) {
            say(messages, "Neu laden, um die hochgeladenen Bilder zu sehen.", false);
          }
        });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var group = document.getElementById("gallery_pictures-group");
    if (!group) {
      return;
    }
    sortable(group);
    var box = group.parentNode.querySelector("[data-gallery-upload]");
    if (box) {
      uploader(box);
    }
  });
})();
