// Django's URLify turns "ü" into "u"; German spells it "ue". Wrap it so that
// slugs filled in while typing match the ones the server makes.
'use strict';
{
    const urlify = window.URLify;
    const spelledOut = {'ä': 'ae', 'ö': 'oe', 'ü': 'ue', 'Ä': 'Ae', 'Ö': 'Oe', 'Ü': 'Ue', 'ß': 'ss', 'ẞ': 'SS'};
    window.URLify = function(text, maxLength, allowUnicode) {
        return urlify(text.replace(/[äöüÄÖÜßẞ]/g, (letter) => spelledOut[letter]), maxLength, allowUnicode);
    };
}
