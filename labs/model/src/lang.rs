//! Which language the course speaks: English or Russian.
//!
//! Everything a student reads (the demos, the checks' messages, the course tool's reports)
//! asks [`Lang::current`], which decides once per process:
//!
//! 1. `COURSE_LANG` (`en` or `ru`): set by the course tool for every process it runs, so a
//!    check speaks the language of the report around it (`cargo course check --lang ru`);
//! 2. else the locale, as every Unix program reads it: the first non-empty of `LC_ALL`,
//!    `LC_MESSAGES`, `LANG` (`ru_RU.UTF-8` is Russian; `C`, `POSIX` and `en_*` are English);
//! 3. else course.toml's `language` (English unless the instructor says otherwise).
//!
//! A text is written in both languages where it is used, with [`tr!`](crate::tr):
//!
//! ```
//! let n = 3;
//! let text = model::tr!(en: "{n} jobs", ru: "заданий: {n}");
//! assert!(text == "3 jobs" || text == "заданий: 3");
//! ```

use std::sync::OnceLock;

/// A language the course speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// English: the course's first language, and the default.
    #[default]
    En,
    /// Russian.
    Ru,
}

/// The environment variable by which a parent process (the course tool) tells its children
/// which language to speak: `en` or `ru`.
pub const COURSE_LANG: &str = "COURSE_LANG";

/// The locale variables, in the order POSIX gives them precedence.
const LOCALE_VARS: [&str; 3] = ["LC_ALL", "LC_MESSAGES", "LANG"];

impl Lang {
    /// Every language, English first.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Ru];

    /// The short code: `en`, `ru` (as `--lang` and `COURSE_LANG` take it).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
        }
    }

    /// Reads a language code or a locale name: `ru`, `ru_RU.UTF-8`, `en`, `en_GB`, `C`,
    /// `POSIX`, `C.UTF-8`. `None` for a language the course does not speak (`de_DE`).
    pub fn parse(name: &str) -> Option<Lang> {
        let name = name.trim();
        let language = name
            .split(['_', '.', '@', '-'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match language.as_str() {
            "ru" => Some(Lang::Ru),
            "en" | "c" | "posix" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language the environment asks for (`COURSE_LANG`, then the locale), if it is one
    /// the course speaks.
    pub fn from_env() -> Option<Lang> {
        Lang::from_vars(|name| std::env::var(name).ok())
    }

    /// [`Lang::from_env`] over any source of variables (for tests).
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Option<Lang> {
        if let Some(lang) = var(COURSE_LANG).as_deref().and_then(Lang::parse) {
            return Some(lang);
        }
        // POSIX: the first locale variable that is set and not empty decides.
        let locale = LOCALE_VARS
            .iter()
            .filter_map(|name| var(name))
            .find(|value| !value.trim().is_empty())?;
        Lang::parse(&locale)
    }

    /// The language this process speaks: see the module's documentation. Decided once.
    pub fn current() -> Lang {
        static CURRENT: OnceLock<Lang> = OnceLock::new();
        *CURRENT.get_or_init(|| {
            Lang::from_env().unwrap_or_else(|| crate::course::Course::embedded().language)
        })
    }

    /// Picks `en` or `ru` by this language.
    pub fn pick<T>(self, en: T, ru: T) -> T {
        match self {
            Lang::En => en,
            Lang::Ru => ru,
        }
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl std::str::FromStr for Lang {
    type Err = String;

    /// `en` or `ru` exactly (what `--lang` accepts).
    fn from_str(s: &str) -> Result<Lang, String> {
        match s {
            "en" => Ok(Lang::En),
            "ru" => Ok(Lang::Ru),
            _ => Err(format!("unknown language `{s}`: use `en` or `ru`")),
        }
    }
}

impl<'de> serde::Deserialize<'de> for Lang {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Lang, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A text in the current language: `tr!(en: "...", ru: "...")` is `format!` of the one
/// [`Lang::current`] picks. Both take the same arguments (inline `{name}` captures too).
#[macro_export]
macro_rules! tr {
    (en: $en:literal, ru: $ru:literal $(,)?) => {
        match $crate::lang::Lang::current() {
            $crate::lang::Lang::En => format!($en),
            $crate::lang::Lang::Ru => format!($ru),
        }
    };
    (en: $en:literal, ru: $ru:literal, $($arg:tt)+) => {
        match $crate::lang::Lang::current() {
            $crate::lang::Lang::En => format!($en, $($arg)+),
            $crate::lang::Lang::Ru => format!($ru, $($arg)+),
        }
    };
}

/// The lines of `text` that are English sentences: a run of three or more plain Latin words
/// (letters only, two or more of them, not ALL-CAPS) outside `code spans`. Identifiers
/// (`snake_case`, `a::b`, `f()`), paths, numbers, commands in backticks and abbreviations
/// (GIL, CPU) do not count. Tests of Russian output assert that this finds nothing.
pub fn latin_sentences(text: &str) -> Vec<&str> {
    text.lines().filter(|line| has_latin_run(line)).collect()
}

fn has_latin_run(line: &str) -> bool {
    let mut run = 0;
    for (i, part) in line.split('`').enumerate() {
        if i % 2 == 1 {
            run = 0; // inside a code span
            continue;
        }
        for word in part.split_whitespace() {
            let word = word.trim_matches(|c: char| ",.;:!?\"'()[]«»—–".contains(c));
            let plain = word.len() >= 2
                && word.chars().all(|c| c.is_ascii_alphabetic())
                && !word.chars().all(|c| c.is_ascii_uppercase());
            run = if plain { run + 1 } else { 0 };
            if run >= 3 {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn the_locale_decides_in_posix_order() {
        assert_eq!(
            Lang::from_vars(vars(&[("LANG", "ru_RU.UTF-8")])),
            Some(Lang::Ru)
        );
        assert_eq!(
            Lang::from_vars(vars(&[("LC_ALL", "C"), ("LANG", "ru_RU.UTF-8")])),
            Some(Lang::En)
        );
        assert_eq!(
            Lang::from_vars(vars(&[("LC_ALL", ""), ("LANG", "ru_RU.UTF-8")])),
            Some(Lang::Ru)
        );
        assert_eq!(
            Lang::from_vars(vars(&[("LC_MESSAGES", "ru_RU"), ("LANG", "en_US.UTF-8")])),
            Some(Lang::Ru)
        );
        assert_eq!(Lang::from_vars(vars(&[("LANG", "de_DE.UTF-8")])), None);
        assert_eq!(Lang::from_vars(vars(&[])), None);
    }

    #[test]
    fn course_lang_overrides_the_locale() {
        assert_eq!(
            Lang::from_vars(vars(&[("COURSE_LANG", "en"), ("LANG", "ru_RU.UTF-8")])),
            Some(Lang::En)
        );
        assert_eq!(
            Lang::from_vars(vars(&[("COURSE_LANG", "ru"), ("LC_ALL", "C")])),
            Some(Lang::Ru)
        );
    }

    #[test]
    fn flags_take_exact_codes() {
        assert_eq!("ru".parse::<Lang>(), Ok(Lang::Ru));
        assert_eq!("en".parse::<Lang>(), Ok(Lang::En));
        assert!("ru_RU".parse::<Lang>().is_err());
        assert_eq!(Lang::Ru.pick("a", "б"), "б");
    }

    #[test]
    fn latin_sentences_are_found_outside_code() {
        let text = "Задание 2.1: потоки\n\
                    запустите `cargo course check lab2`\n\
                    spawn_all вернул 3 результата\n\
                    GIL и CPU: не предложение\n\
                    this is not translated\n\
                    Всего: 10/20 баллов. All tasks pass";
        assert_eq!(
            latin_sentences(text),
            [
                "this is not translated",
                "Всего: 10/20 баллов. All tasks pass"
            ]
        );
    }
}
