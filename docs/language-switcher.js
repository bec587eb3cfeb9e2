// The language switcher in the menu bar: "English | Русский", each a link to the same page
// in the other edition. The English book is the site's root, the Russian one is built into
// its ru/ folder (scripts/check-book.sh), so a page X.html has its twin at ru/X.html.
(function () {
    'use strict';
    const languages = [
        { code: 'en', name: 'English', folder: '' },
        { code: 'ru', name: 'Русский', folder: 'ru/' },
    ];
    const buttons = document.querySelector('#mdbook-menu-bar .right-buttons');
    if (!buttons || typeof path_to_root === 'undefined') {
        return;
    }
    const current = languages.find(l => l.code === document.documentElement.lang) || languages[0];
    // The root of this edition (the 404 page sets it with <base>), and from it the root of
    // the site and this page's path.
    const bookRoot = new URL(path_to_root || './', document.baseURI);
    const siteRoot = new URL(current.folder ? '../' : './', bookRoot);
    const here = window.location.pathname;
    const page = here.startsWith(bookRoot.pathname) ? here.slice(bookRoot.pathname.length) : '';

    const nav = document.createElement('nav');
    nav.className = 'language-switcher';
    nav.setAttribute('aria-label', current.code === 'ru' ? 'Язык' : 'Language');
    const links = languages.map(lang => {
        const link = document.createElement(lang === current ? 'span' : 'a');
        link.textContent = lang.name;
        link.lang = lang.code;
        if (lang === current) {
            link.setAttribute('aria-current', 'page');
        } else {
            link.hreflang = lang.code;
            link.dataset.folder = lang.folder;
        }
        nav.appendChild(link);
        return link;
    });
    // The heading a reader is at, if the other edition has it too (task headings do).
    function update() {
        for (const link of links) {
            if (link.dataset.folder !== undefined) {
                link.href = new URL(link.dataset.folder + page, siteRoot).href + window.location.hash;
            }
        }
    }
    update();
    window.addEventListener('hashchange', update);
    buttons.insertBefore(nav, buttons.firstChild);
    // `mdbook serve docs` and the handout serve the English book alone: when the server says
    // the other edition's page is not there, the switcher goes away.
    if (window.location.protocol.startsWith('http')) {
        const other = links.find(link => link.href);
        fetch(other.href.split('#')[0], { method: 'HEAD' })
            .then(response => {
                if (!response.ok) {
                    nav.remove();
                }
            })
            .catch(() => {});
    }
})();
