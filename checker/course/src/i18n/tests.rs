//! The catalogues agree: the same keys, the same variables, every key the code asks for.

use super::*;
use fluent_syntax::ast;
use model::{LabStatus, StudentStatus};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Each message of a catalogue with the variables its pattern uses.
fn messages(source: &str) -> BTreeMap<String, BTreeSet<String>> {
    let resource = fluent_syntax::parser::parse(source)
        .unwrap_or_else(|(_, errors)| panic!("a catalogue does not parse: {errors:?}"));
    let mut out = BTreeMap::new();
    for entry in resource.body {
        if let ast::Entry::Message(m) = entry {
            let mut vars = BTreeSet::new();
            if let Some(p) = &m.value {
                pattern_vars(p, &mut vars);
            }
            out.insert(m.id.name.to_owned(), vars);
        }
    }
    out
}

fn pattern_vars(p: &ast::Pattern<&str>, vars: &mut BTreeSet<String>) {
    for element in &p.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expression_vars(expression, vars);
        }
    }
}

fn expression_vars(e: &ast::Expression<&str>, vars: &mut BTreeSet<String>) {
    match e {
        ast::Expression::Select { selector, variants } => {
            inline_vars(selector, vars);
            for v in variants {
                pattern_vars(&v.value, vars);
            }
        }
        ast::Expression::Inline(i) => inline_vars(i, vars),
    }
}

fn inline_vars(i: &ast::InlineExpression<&str>, vars: &mut BTreeSet<String>) {
    match i {
        ast::InlineExpression::VariableReference { id } => {
            vars.insert(id.name.to_owned());
        }
        ast::InlineExpression::Placeable { expression } => expression_vars(expression, vars),
        _ => {}
    }
}

#[test]
fn english_and_russian_have_the_same_keys_and_variables() {
    let [(_, en), (_, ru)] = CATALOGUES;
    let (en, ru) = (messages(en), messages(ru));
    let only = |a: &BTreeMap<String, _>, b: &BTreeMap<String, _>| -> Vec<String> {
        a.keys().filter(|k| !b.contains_key(*k)).cloned().collect()
    };
    assert_eq!(only(&en, &ru), Vec::<String>::new(), "keys only in en");
    assert_eq!(only(&ru, &en), Vec::<String>::new(), "keys only in ru");
    for (key, vars) in &en {
        assert_eq!(vars, &ru[key], "the variables of `{key}` differ");
    }
}

/// Every key a `t!` call of the course tool names is a message of the catalogues.
#[test]
fn every_key_the_code_asks_for_exists() {
    let [(_, en), _] = CATALOGUES;
    let en = messages(en);
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut missing = Vec::new();
    for file in crate::tree::files(&src).unwrap() {
        let text = std::fs::read_to_string(src.join(&file)).unwrap_or_default();
        for (at, call) in text.match_indices("t!(\"") {
            // `t!(`, not the end of `format!(` or `print!(`.
            if text[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let rest = &text[at + call.len()..];
            let key = rest.split('"').next().unwrap_or("");
            if !en.contains_key(key) {
                missing.push(format!("{}: {key}", file.display()));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "keys not in the catalogues: {missing:?}"
    );
    for v in Verdict::ALL {
        assert!(en.contains_key(&format!("verdict-{v}")), "{v}");
        assert!(en.contains_key(&format!("spoken-{v}")), "{v}");
    }
    for s in LabStatus::ALL {
        assert!(en.contains_key(&format!("spoken-{s}")), "{s}");
    }
    for s in StudentStatus::ALL {
        assert!(en.contains_key(&format!("status-{s}")), "{s}");
        assert_eq!(text(Lang::En, &format!("status-{s}"), &[]), s.as_str());
    }
}

#[test]
fn english_verdicts_are_the_data_words_spoken() {
    for v in Verdict::ALL {
        assert_eq!(describe(Lang::En, *v), v.describe());
        assert_eq!(spoken(Lang::En, v.as_str()), v.spoken());
    }
    for s in LabStatus::ALL {
        assert_eq!(spoken(Lang::En, s.as_str()), s.spoken());
    }
}

#[test]
fn russian_points_follow_the_plural_rules() {
    let points = |n: u32| {
        text(
            Lang::Ru,
            "report-points",
            &[("earned", 0u32.arg()), ("points", n.arg())],
        )
    };
    assert_eq!(points(1), "0/1 балл");
    assert_eq!(points(2), "0/2 балла");
    assert_eq!(points(5), "0/5 баллов");
    assert_eq!(points(21), "0/21 балл");
    assert_eq!(points(12), "0/12 баллов");
    let en = text(
        Lang::En,
        "report-points",
        &[("earned", 3u32.arg()), ("points", 1u32.arg())],
    );
    assert_eq!(en, "3/1 points");
}

#[test]
fn markers_are_not_shown() {
    let message = "[not implemented] task 2.1: spawn_all\n[timed out]\nkilled after 3 s\n\
                   the [output differs] tag, mid-line";
    assert_eq!(
        strip_markers(message),
        "task 2.1: spawn_all\nkilled after 3 s\nthe tag, mid-line"
    );
    assert_eq!(strip_markers("no tag here"), "no tag here");
}

#[test]
fn a_failed_assertion_reads_in_the_students_language() {
    let message = "thread 'check 2.1' (30338) panicked at checker/tests/lab2.rs:178:17:\n\
                   assertion `left == right` failed: одновременно выполнялись лишь 1 из 3\n  \
                   left: 1\n right: 3\nassertion failed: ok";
    let en = in_lang(Lang::En, || crate::run::student_message(message));
    assert_eq!(
        en,
        "assertion `left == right` failed: одновременно выполнялись лишь 1 из 3\n  left: 1\n \
         right: 3\nassertion failed: ok"
    );
    let ru = in_lang(Lang::Ru, || crate::run::student_message(message));
    assert_eq!(
        ru,
        "утверждение `left == right` не выполнено: одновременно выполнялись лишь 1 из 3\n  \
         left: 1\n right: 3\nутверждение не выполнено: ok"
    );
    assert_russian("a failed assertion", &ru);
}

#[test]
fn english_texts_with_choices_read_as_before() {
    let signal = |name: &str, why: &str| {
        text(
            Lang::En,
            "check-signal",
            &[("signal", name.arg()), ("why", why.arg())],
        )
    };
    assert_eq!(
        signal("SIGSEGV", "memory"),
        "the check's process was killed by SIGSEGV (memory misuse in unsafe code, or a stack \
         overflow)."
    );
    assert_eq!(
        signal("SIGUSR1", "other"),
        "the check's process was killed by SIGUSR1."
    );
    let hidden = |n: usize| {
        text(
            Lang::En,
            "feedback-hidden-failing",
            &[("count", n.arg()), ("verdict", "failed".arg())],
        )
    };
    assert_eq!(
        hidden(1),
        "1 hidden check (the same task with other sizes) — failed"
    );
    assert_eq!(
        hidden(2),
        "2 hidden checks (the same task with other sizes) — failed"
    );
}

/// The Russian book's catalogue (docs/po/ru.po): each message's translation, by its msgid.
fn russian_book(root: &Path) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(root.join("docs/po/ru.po")).unwrap();
    let unquote = |s: &str| s.trim().trim_matches('"').replace("\\\"", "\"");
    let mut out = BTreeMap::new();
    for block in text.split("\n\n") {
        let (mut id, mut translated, mut into_id) = (String::new(), String::new(), true);
        for line in block.lines() {
            if let Some(rest) = line.strip_prefix("msgid ") {
                (id, into_id) = (unquote(rest), true);
            } else if let Some(rest) = line.strip_prefix("msgstr ") {
                (translated, into_id) = (unquote(rest), false);
            } else if line.starts_with('"') {
                let part = unquote(line);
                if into_id {
                    id += &part
                } else {
                    translated += &part
                }
            }
        }
        out.insert(id, translated);
    }
    out
}

/// The Russian book's catalogue translates every message it holds, none of them fuzzy (a
/// translation msgmerge guessed after its English changed). That it holds every message of
/// the English book is checked by scripts/check-book.sh, against a fresh extraction.
#[test]
fn the_russian_book_s_catalogue_is_complete() {
    let (root, _) = crate::test_course();
    let text = std::fs::read_to_string(root.join("docs/po/ru.po")).unwrap();
    let fuzzy: Vec<&str> = text
        .split("\n\n")
        .filter(|block| {
            block
                .lines()
                .any(|l| l.starts_with("#,") && l.contains("fuzzy"))
        })
        .collect();
    assert!(
        fuzzy.is_empty(),
        "fuzzy entries in docs/po/ru.po:\n{}",
        fuzzy.join("\n\n")
    );
    let untranslated: Vec<String> = russian_book(&root)
        .into_iter()
        .filter(|(id, translated)| !id.is_empty() && translated.is_empty())
        .map(|(id, _)| id)
        .collect();
    assert!(
        untranslated.is_empty(),
        "untranslated entries in docs/po/ru.po: {untranslated:#?}"
    );
}

/// A task's `title_ru` is its heading in the Russian book (`Задание N.K — <title_ru>` for
/// `Task N.K — <title>`), a lab's is the book's translation of its title.
#[test]
fn russian_titles_are_the_russian_book_s_headings() {
    let (root, course) = crate::test_course();
    let book = russian_book(&root);
    for lab in &course.labs {
        assert_eq!(book.get(&lab.title), Some(&lab.title_ru), "{}", lab.id);
        for task in &lab.tasks {
            let heading = format!("Task {} — {}", task.id, task.title);
            let expected = format!("Задание {} — {}", task.id, task.title_ru);
            assert_eq!(book.get(&heading), Some(&expected), "task {}", task.id);
        }
    }
}

#[test]
fn the_class_report_s_lateness_reads_as_the_gradebook_s_in_english() {
    use crate::deadlines::Lateness;
    use model::LateStatus;
    let mut late: Lateness = serde_json::from_value(serde_json::json!({
        "due": "2027-03-01T23:59:00+03:00", "mode": "penalty", "source": "git",
        "status": "late", "days_late": 2, "penalty_percent": 20,
    }))
    .unwrap();
    for status in LateStatus::ALL {
        late.status = *status;
        let spoken = in_lang(Lang::En, || late.short_spoken());
        assert_eq!(spoken, late.short(), "{status}");
    }
}
