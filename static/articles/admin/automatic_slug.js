// The address is made by the server when the article is saved, from the
// headline and free in its section (a second "Hitzewelle" becomes
// "hitzewelle-2"). While the field is empty, its placeholder shows what the
// headline will give, so nobody has to invent a slug.
'use strict';
window.addEventListener('load', function() {
    const headline = document.getElementById('id_headline');
    const slug = document.getElementById('id_slug');
    if (!headline || !slug || !window.URLify) {
        return;
    }
    function update() {
        const made = window.URLify(headline.value, 190, false);
        slug.placeholder = made ? `automatisch: ${made}` : 'automatisch aus der Überschrift';
    }
    headline.addEventListener('input', update);
    update();
});
