// Counts the characters of the fields marked data-count-characters as they
// are typed, against the length that may be published (data-publish-limit)
// and the length that fits at all (data-max-length), or against the length
// to aim for (data-target-length). Nothing is cut: the
// browser's maxlength would drop pasted text without a word, so the form
// refuses what does not fit and keeps it for shortening.
'use strict';
window.addEventListener('load', function() {
    const number = new Intl.NumberFormat('de-DE');

    function describe(length, publishLimit, maxLength, target) {
        const count = number.format(length);
        if (maxLength && length > maxLength) {
            return {
                state: 'error',
                text: `${count} Zeichen – zu lang zum Speichern: höchstens ${number.format(maxLength)}. Bitte kürzen.`,
            };
        }
        if (publishLimit && length > publishLimit) {
            return {
                state: 'warning',
                text: `${count}/${number.format(publishLimit)} Zeichen – zu lang zum Veröffentlichen, bitte kürzen.`,
            };
        }
        if (publishLimit) {
            return {state: 'ok', text: `${count}/${number.format(publishLimit)} Zeichen`};
        }
        if (target && length > target) {
            return {
                state: 'warning',
                text: `${count}/${number.format(target)} Zeichen – länger als empfohlen, bitte straffen.`,
            };
        }
        if (target) {
            return {state: 'ok', text: `${count}/${number.format(target)} Zeichen`};
        }
        return {state: 'ok', text: `${count} Zeichen`};
    }

    document.querySelectorAll('[data-count-characters]').forEach(function(field) {
        const publishLimit = parseInt(field.dataset.publishLimit, 10) || 0;
        const maxLength = parseInt(field.dataset.maxLength, 10) || 0;
        const target = parseInt(field.dataset.targetLength, 10) || 0;
        const counter = document.createElement('div');
        counter.id = `${field.id}_counter`;
        counter.className = 'character-counter';
        counter.setAttribute('aria-live', 'polite');
        field.setAttribute(
            'aria-describedby',
            [field.getAttribute('aria-describedby'), counter.id].filter(Boolean).join(' ')
        );
        field.after(counter);

        function update() {
            const {state, text} = describe(
                field.value.length, publishLimit, maxLength, target
            );
            counter.textContent = text;
            counter.dataset.state = state;
        }
        field.addEventListener('input', update);
        update();
    });
});
