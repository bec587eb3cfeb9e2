// Search that finds words of any script, Russian ones included. mdBook's search (elasticlunr)
// trims each word of a query with /^\W+|\W+$/, whose \W is ASCII-only: a Cyrillic word is
// trimmed away whole. This replaces the trimmer with a Unicode-aware one that also folds
// ё into е, as scripts/book_search_index.py does when it adds the book's non-Latin words to
// the index. A Russian word is then cut to its stem (one common ending dropped): the search
// expands a query word to every indexed word it begins, so «корутина» finds «корутины»
// and «корутинами» too. Latin words go through mdBook's English stemmer as before.
(function () {
    'use strict';
    if (typeof elasticlunr === 'undefined') {
        return;
    }
    const edges = /^[^\p{L}\p{N}_]+|[^\p{L}\p{N}_]+$/gu;
    const cyrillic = /\p{Script=Cyrillic}/u;
    // The earliest match is the longest ending; a stem keeps at least three letters.
    const ending = /(?:иями|ями|ами|ого|его|ому|ему|ыми|ими|иях|ях|ах|ой|ей|ий|ый|ая|яя|ое|ее|ые|ие|ом|ем|ам|ям|ов|ев|ую|юю|ия|ию|а|я|о|е|ы|и|у|ю|ь|й)$/u;
    const englishStemmer = elasticlunr.stemmer;

    function trimmer(token) {
        if (token === null || token === undefined) {
            throw new Error('token should not be undefined');
        }
        return token.replace(edges, '').replace(/ё/g, 'е');
    }

    function stemmer(token) {
        if (!cyrillic.test(token)) {
            return englishStemmer(token);
        }
        const m = ending.exec(token);
        return m && token.length - m[0].length >= 3 ? token.slice(0, m.index) : token;
    }

    // The index names its pipeline's functions; they are looked up when it is loaded, which
    // happens after this script has run (on the first search).
    elasticlunr.trimmer = trimmer;
    elasticlunr.stemmer = stemmer;
    elasticlunr.Pipeline.registerFunction(trimmer, 'trimmer');
    elasticlunr.Pipeline.registerFunction(stemmer, 'stemmer');

    // The Russian book's search speaks Russian: mdBook writes its box's placeholder and the
    // results' header in English; both are rewritten here (the header each time it changes).
    if (!document.documentElement.lang.startsWith('ru')) {
        return;
    }
    const bar = document.getElementById('mdbook-searchbar');
    if (bar) {
        bar.placeholder = 'Искать в книге…';
    }
    const header = document.getElementById('mdbook-searchresults-header');
    if (!header) {
        return;
    }
    const found = /^(\d+) search results for '(.*)':$/s;
    const none = /^No search results for '(.*)'\.$/s;
    new MutationObserver(function () {
        const text = header.textContent;
        let m = found.exec(text);
        if (m) {
            header.textContent = 'Найдено по запросу «' + m[2] + '»: ' + m[1];
        } else if ((m = none.exec(text))) {
            header.textContent = 'По запросу «' + m[1] + '» ничего не найдено.';
        }
    }).observe(header, { childList: true, characterData: true, subtree: true });
})();
