// Autosave and presence on the article form (articles/admin/editing.py).
// What is typed goes to the server every few seconds as the person's
// draft, never into the article; a heartbeat says the form is open and
// shows who else has it open and whether someone saved the article since.
'use strict';
// Loaded in the page's head, with the admin's other form scripts.
document.addEventListener('DOMContentLoaded', function() {
    const box = document.querySelector('[data-editing]');
    if (!box) {
        return;
    }
    const form = box.closest('form');
    const status = box.querySelector('[data-autosave-status]');
    const csrf = form.querySelector('input[name="csrfmiddlewaretoken"]').value;
    let offer = box.querySelector('[data-draft-offer]');
    let typed = false;
    let submitting = false;
    let lastSaved = null;

    function formContent() {
        const data = new FormData(form);
        data.delete('csrfmiddlewaretoken');
        for (const [name, value] of Array.from(data.entries())) {
            if (value instanceof File) {
                data.delete(name);
            }
        }
        return new URLSearchParams(data).toString();
    }

    // keepalive: still sent while the page closes (bodies up to 64 kB).
    async function post(url, body, keepalive) {
        const response = await fetch(url, {
            method: 'POST',
            credentials: 'same-origin',
            keepalive: Boolean(keepalive),
            headers: {
                'X-CSRFToken': csrf,
                'Content-Type': 'application/x-www-form-urlencoded',
            },
            body: body,
        });
        if (!response.ok) {
            throw new Error(response.status);
        }
        return response.json();
    }

    async function autosave(closing) {
        if (!typed || submitting) {
            return;
        }
        if (offer) {
            status.textContent = 'Automatisches Speichern wartet: Bitte zuerst den ' +
                'gespeicherten Entwurf wiederherstellen oder verwerfen.';
            return;
        }
        const content = formContent();
        if (content === lastSaved) {
            return;
        }
        try {
            const answer = await post(box.dataset.autosaveUrl, content, closing);
            lastSaved = content;
            status.textContent = answer.message;
        } catch (error) {
            status.textContent = 'Automatisches Speichern gerade nicht möglich (' +
                error.message + '). Ihre Eingaben stehen weiter im Formular.';
        }
    }

    async function discard(button) {
        button.disabled = true;
        try {
            const answer = await post(box.dataset.discardUrl, '');
            offer.remove();
            offer = null;
            status.textContent = answer.message;
        } catch (error) {
            button.disabled = false;
            status.textContent = 'Der Entwurf wurde nicht verworfen (' + error.message + ').';
        }
    }

    function showPresence(others) {
        const presence = box.querySelector('[data-presence]');
        presence.hidden = others.length === 0;
        presence.textContent = others.length ? 'Ebenfalls geöffnet: ' + others.map(function(other) {
            const who = other.is_me ? other.name + ' (Sie, in einem anderen Fenster)' : other.name;
            return who + ' seit ' + other.since + ' Uhr';
        }).join(', ') : '';
    }

    function showSaved(saved) {
        const notice = box.querySelector('[data-saved-notice]');
        if (!saved) {
            return;
        }
        notice.querySelector('[data-saved-message]').textContent = saved.message;
        notice.querySelector('[data-changes-link]').href = saved.changes_url;
        notice.hidden = false;
    }

    function heartbeatBody(extra) {
        const data = new URLSearchParams(extra);
        data.set('key', box.dataset.key);
        data.set('loaded_edit_token', form.elements.loaded_edit_token.value);
        return data.toString();
    }

    async function heartbeat() {
        if (submitting) {
            return;
        }
        try {
            const answer = await post(box.dataset.heartbeatUrl, heartbeatBody({}));
            showPresence(answer.others);
            showSaved(answer.saved);
        } catch (error) {
            // The next beat tries again; presence is a courtesy, not a lock.
        }
    }

    form.addEventListener('input', function() { typed = true; });
    form.addEventListener('change', function() { typed = true; });
    form.addEventListener('submit', function() { submitting = true; });
    box.addEventListener('click', function(event) {
        const button = event.target.closest('[data-discard-draft]');
        if (button) {
            discard(button);
        }
    });
    setInterval(function() { autosave(false); }, Number(box.dataset.autosaveSeconds) * 1000);
    // What was typed since the last autosave, as the tab closes.
    window.addEventListener('pagehide', function() { autosave(true); });

    if (box.dataset.heartbeatUrl) {
        heartbeat();
        setInterval(heartbeat, Number(box.dataset.heartbeatSeconds) * 1000);
        // Back to this tab: news at once, not at the next beat.
        document.addEventListener('visibilitychange', function() {
            if (!document.hidden) {
                heartbeat();
            }
        });
        window.addEventListener('pagehide', function() {
            post(box.dataset.heartbeatUrl, heartbeatBody({left: '1'}), true).catch(function() {});
        });
    }
});
