//! The course tool's texts, in English and Russian: one Fluent catalogue per language,
//! `checker/course/locales/<code>/course.ftl`, embedded in the binary.
//!
//! A text is asked for by its key with [`t!`](crate::t): `t!("summary-total", earned = 3,
//! points = 20)` is the message `summary-total` of the catalogue of [`lang`], its
//! `{ $earned }` and `{ $points }` filled in, its plurals chosen by the language's rules
//! (Russian: 1 балл, 2 балла, 5 баллов). The English catalogue holds the tool's English
//! texts exactly as they were before the Russian one existed, so English output is unchanged.
//!
//! The language: `--lang`, else [`Lang::from_env`] (`COURSE_LANG`, then the locale), else
//! the `language` of the course's course.toml; `main` decides it once and puts it in
//! `COURSE_LANG`, which every child process inherits (the sandbox passes it on by name).
//!
//! Why `fluent-bundle` and not `fluent-templates`: the runtime alone adds 15 small crates to
//! the course tool's build (`cargo tree -p course -e normal`), no proc-macro of its own;
//! `fluent-templates` adds the same runtime plus a file-system loader and its macros
//! (`ignore`, `globset`, `regex-automata`, `flume`, a second `syn`…), about 40 more, for
//! two files that `include_str!` embeds as well.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use model::lang::Lang;
use model::verdict::Verdict;
use std::cell::Cell;
use std::sync::OnceLock;

thread_local! {
    static THIS_THREAD: Cell<Option<Lang>> = const { Cell::new(None) };
}

/// The language of the texts this thread writes: [`in_lang`]'s, else [`Lang::current`].
pub fn lang() -> Lang {
    THIS_THREAD.get().unwrap_or_else(Lang::current)
}

/// Runs `f` with this thread's texts in `lang` (tests of both languages in one process).
pub fn in_lang<T>(lang: Lang, f: impl FnOnce() -> T) -> T {
    let before = THIS_THREAD.replace(Some(lang));
    let result = f();
    THIS_THREAD.set(before);
    result
}

/// The catalogues, by language.
pub const CATALOGUES: [(Lang, &str); 2] = [
    (Lang::En, include_str!("../locales/en/course.ftl")),
    (Lang::Ru, include_str!("../locales/ru/course.ftl")),
];

fn bundle(lang: Lang) -> &'static FluentBundle<FluentResource> {
    static BUNDLES: [OnceLock<FluentBundle<FluentResource>>; 2] =
        [OnceLock::new(), OnceLock::new()];
    let i = Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0);
    BUNDLES[i].get_or_init(|| {
        let source = CATALOGUES[i].1;
        let resource = FluentResource::try_new(source.to_owned())
            .unwrap_or_else(|(_, e)| panic!("locales/{lang}/course.ftl does not parse: {e:?}"));
        let mut bundle =
            FluentBundle::new_concurrent(vec![lang.code().parse().expect("a language code")]);
        // Plain text out: no Unicode isolation marks around the variables.
        bundle.set_use_isolating(false);
        bundle
            .add_resource(resource)
            .unwrap_or_else(|e| panic!("locales/{lang}/course.ftl: {e:?}"));
        bundle
    })
}

/// A value for a variable of a message: a number (which selects a plural form) or text.
pub trait Arg {
    /// The value as Fluent takes it.
    fn arg(&self) -> FluentValue<'static>;
}

macro_rules! number_args {
    ($($t:ty),*) => {$(
        impl Arg for $t {
            fn arg(&self) -> FluentValue<'static> {
                FluentValue::from(*self)
            }
        }
    )*};
}
number_args!(u32, u64, usize, i64);

impl Arg for str {
    fn arg(&self) -> FluentValue<'static> {
        FluentValue::from(self.to_owned())
    }
}

impl Arg for String {
    fn arg(&self) -> FluentValue<'static> {
        self.as_str().arg()
    }
}

impl<T: Arg + ?Sized> Arg for &T {
    fn arg(&self) -> FluentValue<'static> {
        (**self).arg()
    }
}

/// The message `key` of `lang`'s catalogue with `args` filled in. A key missing from the
/// catalogue is a bug the unit tests catch; it shows as the key itself.
pub fn text(lang: Lang, key: &str, args: &[(&str, FluentValue<'static>)]) -> String {
    let bundle = bundle(lang);
    let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
        return key.to_owned();
    };
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        fluent_args.set(*name, value.clone());
    }
    let mut errors = Vec::new();
    bundle
        .format_pattern(pattern, Some(&fluent_args), &mut errors)
        .into_owned()
}

/// A text in the language of this run: the message of a key (a literal), with the values of
/// its variables, `name = value`, each a number or text (see [`Arg`]).
#[macro_export]
macro_rules! t {
    ($key:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::i18n::text(
            $crate::i18n::lang(),
            $key,
            &[$((stringify!($name), $crate::i18n::Arg::arg(&$value))),*],
        )
    };
}

/// A verdict as a report describes it: "your code panicked" (English: [`Verdict::describe`]).
pub fn describe(lang: Lang, verdict: Verdict) -> String {
    text(lang, &format!("verdict-{verdict}"), &[])
}

/// A data word (a verdict's, a lab's or a submission's status) as prose: "compile error"
/// (English: the word's `spoken`).
pub fn spoken(lang: Lang, word: &str) -> String {
    text(lang, &format!("spoken-{word}"), &[])
}

/// A check's failure message as the student reads it: without the machine tags
/// (`[not implemented]`, `[timed out]`, … of [`model::marker`]) the verdict already says in
/// words. A tag is removed with the space after it; a line it leaves empty goes too.
pub fn strip_markers(message: &str) -> String {
    message
        .lines()
        .filter_map(|line| {
            let mut line = line.to_owned();
            for (marker, _) in model::marker::MARKERS {
                if line.contains(marker) {
                    line = line.replace(&format!("{marker} "), "").replace(marker, "");
                    if line.trim().is_empty() {
                        return None;
                    }
                }
            }
            Some(line)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Panics, showing them, if `text` holds English sentences (the tests of Russian output).
#[cfg(test)]
pub(crate) fn assert_russian(what: &str, text: &str) {
    let english = model::lang::latin_sentences(text);
    assert!(
        english.is_empty(),
        "English in {what}:\n{}\n\n{what}:\n{text}",
        english.join("\n")
    );
}

#[cfg(test)]
mod tests;
