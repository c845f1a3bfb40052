// Lets the editor click the lead image to set the point that every crop
// (16:9, 4:3, 1:1) keeps in view.
'use strict';
window.addEventListener('load', function() {
    const current = document.querySelector('.field-image .file-upload a, .field-image p.file-upload a');
    const focalX = document.getElementById('id_image_focal_x');
    const focalY = document.getElementById('id_image_focal_y');
    if (!current || !focalX || !focalY) {
        return;
    }
    const frame = document.createElement('div');
    frame.className = 'focal-point';
    const image = document.createElement('img');
    image.src = current.href;
    image.alt = 'Bildfokus wählen: auf die wichtigste Stelle klicken';
    const marker = document.createElement('span');
    marker.className = 'focal-point__marker';
    const hint = document.createElement('p');
    hint.className = 'help';
    hint.textContent = 'Auf die wichtigste Stelle des Bildes klicken: Zuschnitte bleiben um diesen Punkt zentriert.';
    frame.append(image, marker);
    current.closest('.form-row').append(frame, hint);

    function place() {
        marker.style.left = (parseFloat(focalX.value) * 100) + '%';
        marker.style.top = (parseFloat(focalY.value) * 100) + '%';
    }
    image.addEventListener('click', function(event) {
        const box = image.getBoundingClientRect();
        focalX.value = ((event.clientX - box.left) / box.width).toFixed(2);
        focalY.value = ((event.clientY - box.top) / box.height).toFixed(2);
        place();
    });
    focalX.addEventListener('input', place);
    focalY.addEventListener('input', place);
    place();
});
