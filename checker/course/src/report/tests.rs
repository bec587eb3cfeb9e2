//! The report in Russian says everything in Russian; in English, what it always said.

use super::*;
use crate::i18n::in_lang;
use crate::run::CheckOutcome;
use model::lang::Lang;

/// Lab 2's outcome: every task untouched (its checks reach `todo!()`), except `wrong`
/// (a task id) whose check gives a wrong answer with `message`.
fn lab2(wrong: Option<&str>, message: &str) -> (model::course::Course, LabOutcome) {
    let (_, course) = crate::test_course();
    let lab = course.lab("lab2").unwrap();
    let checks = lab
        .tasks
        .iter()
        .map(|t| {
            let failing = wrong == Some(t.id.as_str());
            CheckOutcome {
                name: format!("{}::check", t.check_module()),
                verdict: if failing {
                    Verdict::WrongAnswer
                } else {
                    Verdict::NotImplemented
                },
                message: if failing {
                    message.to_owned()
                } else {
                    format!("{} task {}", model::marker::NOT_IMPLEMENTED, t.id)
                },
                seconds: 0.0,
            }
        })
        .collect();
    let outcome = crate::run::score(lab, checks);
    (course, outcome)
}

fn report(lang: Lang, course: &model::course::Course, outcome: LabOutcome) -> String {
    let lab = course.lab("lab2").unwrap();
    in_lang(lang, || {
        let text = lab_report(lab, &outcome, &Detail::default());
        format!("{text}\n{}", summary(&[(lab, outcome)]))
    })
}

#[test]
fn the_russian_report_has_no_english_sentence() {
    let message = "[panic in your code] spawn_all вернул 2 результата вместо 3\n\
                   ожидалось: [1, 2, 3]";
    for wrong in [None, Some("2.2")] {
        let (course, outcome) = lab2(wrong, message);
        let text = report(Lang::Ru, &course, outcome);
        crate::i18n::assert_russian("the report", &text);
        assert!(text.contains("0/13 баллов"), "{text}");
        assert!(!text.contains("[panic in your code]"), "{text}");
        if wrong.is_some() {
            let hint = &course.task("2.2").unwrap().1.hint_ru;
            assert!(text.contains(hint.as_str()), "the Russian hint:\n{text}");
            assert!(text.contains("неверный ответ"), "{text}");
        }
    }
}

#[test]
fn the_english_report_says_what_it_always_said() {
    let (course, outcome) = lab2(Some("2.2"), "spawn_all returned 2 results");
    let text = report(Lang::En, &course, outcome);
    for line in [
        "Lab 2 — Threads: shared state, races, channels and the GIL  0/13 points",
        "  · 2.1 Spawn and join; scoped threads  0/2 — not implemented yet: write it in \
         labs/lab2-threads/src/spawn.rs",
        "  ✗ 2.2 Exact counters: Mutex and atomic read-modify-write  0/2 — wrong answer",
        "      ✗ task_2_2::check (wrong answer)",
        "        spawn_all returned 2 results",
        "Total: 0/13 points. Next: task 2.1 in labs/lab2-threads/src/spawn.rs \
         (`cargo course watch lab2` re-checks on every save).",
    ] {
        assert!(text.lines().any(|l| l == line), "{line}\nnot in:\n{text}");
    }
}
