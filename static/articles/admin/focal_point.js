// Lets the editor click the lead image to set the point that every crop
// (16:9, 4:3, 1:1) keeps in view, and shows those crops as the point moves.
// The server cuts them (the focal x field's data-crops-url runs the
// renditions' own rule) and names them; this script only draws its answer.
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
    const crops = document.createElement('div');
    crops.className = 'crop-previews';
    crops.setAttribute('aria-label', 'Zuschnitte');
    frame.append(image, marker);
    current.closest('.form-row').append(frame, hint, crops);
    let asked = 0;

    function preview(name, box) {
        const [left, top, right, bottom] = box;
        const width = right - left;
        const height = bottom - top;
        const figure = document.createElement('figure');
        figure.className = 'crop-preview';
        figure.dataset.crop = name;
        const view = document.createElement('div');
        view.className = 'crop-preview__window';
        view.style.width = `calc(var(--crop-preview-height) * ${width / height})`;
        // The whole picture, scaled so the crop fills the window.
        const copy = document.createElement('img');
        copy.src = image.src;
        copy.alt = '';
        copy.style.width = `${image.naturalWidth / width * 100}%`;
        copy.style.left = `${-left / width * 100}%`;
        copy.style.top = `${-top / height * 100}%`;
        view.append(copy);
        const caption = document.createElement('figcaption');
        caption.textContent = name.replace('x', ':');
        figure.append(view, caption);
        return figure;
    }

    function showCrops() {
        if (!image.naturalWidth) {
            return;
        }
        const request = ++asked;
        const query = new URLSearchParams({
            breite: image.naturalWidth,
            hoehe: image.naturalHeight,
            x: focalX.value,
            y: focalY.value,
        });
        fetch(`${focalX.dataset.cropsUrl}?${query}`, {credentials: 'same-origin'})
            .then((response) => (response.ok ? response.json() : null))
            .then(function(answer) {
                // A late answer for an older point must not replace a newer one.
                if (answer && request === asked) {
                    crops.replaceChildren(...answer.crops.map((crop) => preview(crop.name, crop.box)));
                }
            })
            .catch(() => {});
    }

    function place() {
        marker.style.left = (parseFloat(focalX.value) * 100) + '%';
        marker.style.top = (parseFloat(focalY.value) * 100) + '%';
        showCrops();
    }
    image.addEventListener('load', showCrops);
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
