// Drag rows of an inline marked "sortable-rows" by their handle; the
// "Reihenfolge" numbers follow the new order. Without JavaScript the
// numbers are typed in.
'use strict';
(function() {
    let dragged = null;

    function addHandles(root) {
        root.querySelectorAll('.sortable-rows tr.form-row:not(.empty-form)').forEach(function(row) {
            const field = row.querySelector('input[name$="-position"]');
            if (!field || row.querySelector('.drag-handle')) {
                return;
            }
            const handle = document.createElement('span');
            handle.className = 'drag-handle';
            handle.title = 'Ziehen, um die Reihenfolge zu ändern';
            handle.setAttribute('aria-hidden', 'true');
            handle.textContent = '↕';
            field.before(handle);
        });
    }

    function renumber(body) {
        body.querySelectorAll('tr.form-row:not(.empty-form)').forEach(function(row, index) {
            const field = row.querySelector('input[name$="-position"]');
            if (field) {
                field.value = index + 1;
            }
        });
    }

    document.addEventListener('pointerdown', function(event) {
        const handle = event.target.closest('.drag-handle');
        if (handle) {
            handle.closest('tr').draggable = true;
        }
    });
    document.addEventListener('dragstart', function(event) {
        dragged = event.target.closest && event.target.closest('.sortable-rows tr.form-row');
        if (dragged) {
            dragged.classList.add('is-dragged');
            event.dataTransfer.effectAllowed = 'move';
        }
    });
    document.addEventListener('dragover', function(event) {
        const row = event.target.closest && event.target.closest('tr.form-row');
        if (!dragged || !row || row === dragged || row.parentNode !== dragged.parentNode) {
            return;
        }
        event.preventDefault();
        const box = row.getBoundingClientRect();
        row.parentNode.insertBefore(dragged, event.clientY > box.top + box.height / 2 ? row.nextSibling : row);
    });
    document.addEventListener('drop', function(event) {
        if (dragged) {
            event.preventDefault();
        }
    });
    document.addEventListener('dragend', function() {
        if (!dragged) {
            return;
        }
        dragged.classList.remove('is-dragged');
        dragged.draggable = false;
        renumber(dragged.parentNode);
        dragged = null;
    });
    document.addEventListener('formset:added', function() { addHandles(document); });
    document.addEventListener('DOMContentLoaded', function() { addHandles(document); });
})();
