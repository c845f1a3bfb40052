// The outline beside the body editor: the text as it will stand, with the
// "Mehr zum Thema" boxes and the inline ad between the paragraphs where the
// article page puts them. The server places them (the body field's
// data-layout-url runs the reader page's own rule), so the outline and the
// page never disagree; this script only asks again as the text or a box's
// number changes, and draws the answer: in the outline, and as labels
// after the paragraphs inside the editor itself. A box moves by clicking
// it in the outline, then the gap it should go to: that writes the number
// into the box's row.
'use strict';
(function() {
    const BOX_FIELD = /^id_topic_boxes-(\d+)-(after_paragraph|target|DELETE)$/;
    const EXCERPT = 70;
    let outline = null;
    let textarea = null;
    let layout = null;
    let moving = null;
    let pending = null;
    let asked = 0;
    // The labels inside the editor are generated CSS (::after of the
    // paragraph they follow), never nodes: the editor owns its DOM and
    // would take inserted elements for text.
    const editorLabels = new CSSStyleSheet();
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, editorLabels];

    function boxRows() {
        return Array.from(document.querySelectorAll('[id^="id_topic_boxes-"][id$="-after_paragraph"]'))
            .filter((field) => !/__prefix__/.test(field.id))
            .map(function(field) {
                const prefix = field.id.replace(/-after_paragraph$/, '');
                const target = document.getElementById(`${prefix}-target`);
                const removed = document.getElementById(`${prefix}-DELETE`);
                const chosen = target && target.selectedOptions[0];
                return {
                    field,
                    removed: Boolean(removed && removed.checked),
                    title: chosen && chosen.value ? chosen.textContent : 'noch kein Artikel gewählt',
                };
            })
            .filter((row) => !row.removed);
    }

    function excerpt(text) {
        const clean = text.replace(/\s+/g, ' ').trim();
        return clean.length > EXCERPT ? `${clean.slice(0, EXCERPT)} …` : clean;
    }

    function element(tag, className, text) {
        const made = document.createElement(tag);
        made.className = className;
        if (text !== undefined) {
            made.textContent = text;
        }
        return made;
    }

    // One line per top-level block of a part's markup. DOMParser makes an
    // inert document: nothing in it loads or runs.
    function blockLines(markup) {
        const parsed = new DOMParser().parseFromString(markup, 'text/html').body;
        return Array.from(parsed.children).map(function(block) {
            const tag = block.tagName.toLowerCase();
            const kind = {
                p: 'Absatz', h2: 'Zwischenüberschrift', h3: 'Kleine Zwischenüberschrift',
                ul: 'Aufzählung', ol: 'Nummerierte Liste', blockquote: 'Zitat',
            }[tag] || 'Block';
            const line = element('li', `body-layout__block body-layout__block--${tag}`);
            line.append(element('span', 'body-layout__kind', kind), excerpt(block.textContent));
            return line;
        });
    }

    function cssString(text) {
        return `"${text.replace(/[\\"]/g, '\\$&').replace(/\s+/g, ' ')}"`;
    }

    // Part n ends with the editor's nth top-level paragraph, as the page
    // splits the text; what follows the last paragraph goes at the end.
    function labelEditor(rows, showAd) {
        const rules = layout.parts.map(function(part, index) {
            const labels = part.boxes.map((boxIndex) => `Mehr zum Thema: ${rows[boxIndex].title}`);
            if (part.inline_ad && showAd) {
                labels.push('Anzeige im Text');
            }
            if (!labels.length) {
                return '';
            }
            const place = index + 1 < layout.parts.length
                ? `.field-body .ProseMirror > p:nth-of-type(${index + 1})::after`
                : '.field-body .ProseMirror::after';
            return `${place} { content: ${labels.map(cssString).join(' "\\A" ')}; }`;
        });
        editorLabels.replaceSync(rules.join('\n'));
    }

    function draw() {
        if (!layout) {
            return;
        }
        // The rows as they were asked about: the answer's indexes are theirs.
        const rows = layout.rows;
        const adFree = document.getElementById('id_is_ad_free');
        labelEditor(rows, !(adFree && adFree.checked));
        const list = element('ol', 'body-layout__parts');
        let paragraphs = 0;
        layout.parts.forEach(function(part, index) {
            const number = index + 1;
            list.append(...blockLines(part.markup));
            if (number < layout.parts.length) {
                paragraphs = number;
            }
            part.boxes.forEach(function(boxIndex) {
                const row = rows[boxIndex];
                const marker = element(
                    'button', 'body-layout__box', `Mehr zum Thema: ${row.title}`
                );
                marker.type = 'button';
                marker.setAttribute('aria-pressed', String(moving === row.field));
                marker.title = 'Anklicken, dann die Stelle wählen, an die der Kasten soll';
                marker.addEventListener('click', function() {
                    moving = moving === row.field ? null : row.field;
                    draw();
                });
                const item = element('li', 'body-layout__marker');
                item.append(marker);
                list.append(item);
            });
            if (part.inline_ad && !(adFree && adFree.checked)) {
                list.append(element('li', 'body-layout__marker body-layout__ad', 'Anzeige im Text'));
            }
            if (moving && rows.some((row) => row.field === moving)) {
                const gap = element(
                    'button', 'body-layout__gap',
                    number < layout.parts.length ? `Kasten hierher: nach Absatz ${number}` : 'Kasten hierher: ans Ende'
                );
                gap.type = 'button';
                gap.dataset.afterParagraph = number;
                gap.addEventListener('click', function() {
                    moving.value = number;
                    moving = null;
                    ask();
                });
                const item = element('li', 'body-layout__marker');
                item.append(gap);
                list.append(item);
            }
        });
        const summary = element(
            'p', 'body-layout__summary',
            paragraphs ? `${paragraphs} ${paragraphs === 1 ? 'Absatz' : 'Absätze'}` : 'Noch kein Absatz'
        );
        outline.replaceChildren(
            element('h3', 'body-layout__title', 'So steht der Text im Artikel'), summary, list
        );
        outline.hidden = false;
    }

    function ask() {
        const request = ++asked;
        const rows = boxRows();
        const form = new FormData();
        form.append('body', textarea.value);
        rows.forEach((row) => form.append('after_paragraph', row.field.value));
        const token = document.querySelector('[name=csrfmiddlewaretoken]');
        fetch(textarea.dataset.layoutUrl, {
            method: 'POST',
            body: form,
            credentials: 'same-origin',
            headers: {'X-CSRFToken': token ? token.value : ''},
        })
            .then((response) => (response.ok ? response.json() : null))
            .then(function(answer) {
                // An older answer arriving late must not replace a newer one.
                if (answer && request === asked) {
                    layout = {parts: answer.parts, rows};
                    draw();
                }
            })
            .catch(() => {});
    }

    function askSoon() {
        clearTimeout(pending);
        pending = setTimeout(ask, 250);
    }

    function start() {
        textarea = document.querySelector('textarea[data-layout-url]');
        if (!textarea || outline) {
            return;
        }
        outline = element('aside', 'body-layout');
        outline.hidden = true;
        outline.setAttribute('aria-label', 'Aufbau des Textes');
        textarea.closest('.form-row').append(outline);
        // The editor writes each change into the textarea with an input event.
        document.addEventListener('input', function(event) {
            if (event.target === textarea || BOX_FIELD.test(event.target.id)) {
                askSoon();
            }
        });
        document.addEventListener('change', function(event) {
            if (BOX_FIELD.test(event.target.id) || event.target.id === 'id_is_ad_free') {
                askSoon();
            }
        });
        // Select2 reports a chosen target through jQuery only.
        if (window.django && django.jQuery) {
            django.jQuery(document).on('change', 'select[id^="id_topic_boxes-"]', askSoon);
        }
        document.addEventListener('formset:added', askSoon);
        document.addEventListener('formset:removed', askSoon);
        ask();
    }

    // The editor announces itself once its modules have loaded, after this
    // classic script has run.
    document.addEventListener('prose-editor:ready', start);
})();
