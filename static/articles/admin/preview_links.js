// "Vorschau-Link erstellen" makes a link at once, without leaving the
// article form (nothing typed there is lost), and shows it ready to copy;
// "Kopieren" copies any preview link on the page.
'use strict';
(function() {
    async function createLink(box) {
        const message = box.querySelector('[data-share-preview-message]');
        const result = box.querySelector('[data-share-preview-result]');
        const urlField = box.querySelector('[data-share-preview-url]');
        const token = document.querySelector('input[name="csrfmiddlewaretoken"]');
        let answer;
        try {
            const response = await fetch(box.dataset.sharePreview, {
                method: 'POST',
                credentials: 'same-origin',
                headers: {'Accept': 'application/json', 'X-CSRFToken': token ? token.value : ''},
            });
            answer = response.ok ? await response.json() : {error: response.status};
        } catch (error) {
            answer = {error: 'Netzwerk'};
        }
        result.hidden = false;
        if (answer.error) {
            message.textContent = 'Der Link wurde nicht erstellt (Fehler: ' + answer.error + '). ' +
                'Bitte die Seite neu laden und es noch einmal versuchen.';
            urlField.closest('.preview-link').hidden = true;
            return;
        }
        message.textContent = answer.message;
        urlField.value = answer.url;
        box.querySelector('[data-share-preview-open]').href = answer.url;
        urlField.closest('.preview-link').hidden = false;
        urlField.focus();
        urlField.select();
    }

    async function copyLink(button) {
        const field = button.closest('.preview-link').querySelector('input');
        field.select();
        try {
            await navigator.clipboard.writeText(field.value);
        } catch (error) {
            // Older browsers, or a page not served over HTTPS.
            document.execCommand('copy');
        }
        button.textContent = 'Kopiert';
        setTimeout(function() { button.textContent = 'Kopieren'; }, 2000);
    }

    document.addEventListener('click', function(event) {
        const create = event.target.closest('[data-share-preview-button]');
        if (create) {
            createLink(create.closest('[data-share-preview]'));
            return;
        }
        const copy = event.target.closest('[data-copy-link]');
        if (copy) {
            copyLink(copy);
        }
    });
})();
