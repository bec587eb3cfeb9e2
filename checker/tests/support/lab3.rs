//! What Lab 3's public and hidden checks share: running a scenario in a fresh process
//! (`run-lab lab3 --scenario ...`) and reading its report.
//!
//! Included with `#[path]` by `checker/tests/lab3.rs` and `checker/hidden/lab3.rs`, whose
//! crates also mount `support/run_lab.rs` as `run_lab`.

use checker::harness::{NOT_IMPLEMENTED, STUDENT_PANIC, TIMED_OUT};
use checker::kit::course::Course;
use model::tr;
use std::collections::BTreeMap;
use std::time::Duration;

/// A scenario's report: `key=value` lines.
pub struct Report {
    pub command: String,
    pub values: BTreeMap<String, String>,
}

impl Report {
    pub fn get(&self, key: &str) -> &str {
        self.values.get(key).map_or("", String::as_str)
    }
}

/// Runs `run-lab lab3 --scenario ARGS...` for task `task` and returns its report, after
/// turning a hang, a `todo!()` or a panic into the harness's verdicts. `hang` says what a
/// hang most likely means in this scenario.
pub fn scenario(task: &str, args: &[&str], hang: &str) -> Report {
    let (lab, t) = Course::embedded().task(task).unwrap_or_else(|| {
        panic!(
            "{}",
            tr!(en: "course.toml has no task {task}", ru: "в course.toml нет задания {task}")
        )
    });
    let mut full = vec!["lab3", "--scenario"];
    full.extend_from_slice(args);
    let command = format!(
        "cargo run -p checker --bin run-lab -- lab3 --scenario {}",
        args.join(" ")
    );
    // The supervisor's own deadline comes first; this one only guards the guard.
    let backstop = checker::scenarios::lab3::DEFAULT_DEADLINE + Duration::from_secs(8);
    let out = checker::snapshot::run_lab(crate::run_lab::RUN_LAB, &full, backstop);
    let values: BTreeMap<String, String> = out
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.replace("\\n", "\n").replace("\\\\", "\\")))
        .collect();
    let r = Report { command, values };
    let (cmd, message) = (&r.command, r.get("message"));
    let (title, hint) = checker::harness::title_and_hint(t);
    match r.get("supervisor") {
        "done" => {}
        "timeout" => {
            let ms = r.get("deadline_ms");
            panic!(
                "{TIMED_OUT} {}",
                tr!(
                    en: "task {task} ({title}): `{cmd}` did not finish within {ms} ms; it was killed \
                         with every process it started. {hang} Hint: {hint}",
                    ru: "задание {task} ({title}): `{cmd}` не завершилось за {ms} мс; его завершили \
                         вместе со всеми процессами, которые оно запустило. {hang} Подсказка: {hint}"
                )
            )
        }
        "worker-died" => {
            let status = r.get("worker_status");
            panic!(
                "{}",
                tr!(
                    en: "task {task}: the process that called your code died ({status}) while \
                         running `{cmd}`. Did code meant for a child (a kill, a raise, an exit) run \
                         in the calling process? Only the ForkResult::Child branch may run it.",
                    ru: "задание {task}: процесс, вызвавший ваш код, погиб ({status}) во время \
                         `{cmd}`. Не выполнился ли код, предназначенный для потомка (`kill`, `raise`, \
                         `exit`), в вызывающем процессе? Его может выполнять только ветка \
                         ForkResult::Child."
                )
            )
        }
        _ => panic!(
            "{}",
            tr!(
                en: "the scenario runner did not report (`{cmd}`):\n{out}",
                ru: "запуск сценария не прислал отчёта (`{cmd}`):\n{out}"
            )
        ),
    }
    match r.get("outcome") {
        "ok" => r,
        "not_implemented" => {
            let file = lab.task_path(t);
            let file = file.display();
            panic!(
                "{NOT_IMPLEMENTED} {}",
                tr!(
                    en: "task {task} ({title}) is not implemented yet: {message}. Write it in \
                         {file}, then run `cargo course check lab3`.",
                    ru: "задание {task} ({title}) ещё не реализовано: {message}. Напишите его в \
                         {file}, затем запустите `cargo course check lab3`."
                )
            )
        }
        "panic" => panic!(
            "{STUDENT_PANIC} {}",
            tr!(
                en: "your code panicked during `{cmd}`: {message}",
                ru: "ваш код завершился паникой во время `{cmd}`: {message}"
            )
        ),
        "" => panic!(
            "{}",
            tr!(
                en: "task {task}: the process that called your code ended before it could report \
                     (`{cmd}`): does your code call std::process::exit or _exit outside the child?",
                ru: "задание {task}: процесс, вызвавший ваш код, завершился, не успев прислать \
                     отчёт (`{cmd}`): не вызывает ли ваш код std::process::exit или _exit вне \
                     потомка?"
            )
        ),
        other => panic!(
            "{}",
            tr!(
                en: "the scenario `{cmd}` reported outcome {other:?}: {message}",
                ru: "сценарий `{cmd}` сообщил исход {other:?}: {message}"
            )
        ),
    }
}

/// Runs fan_out (task 3.4) on `inputs` with `processes` children and the work `work`, with
/// the scenario's further arguments `more`.
pub fn fan_out_scenario(
    inputs: &str,
    processes: &str,
    work: &str,
    more: &[&str],
    hang: &str,
) -> Report {
    let mut args = vec![
        "fanout",
        "--inputs",
        inputs,
        "--processes",
        processes,
        "--work",
        work,
    ];
    args.extend_from_slice(more);
    scenario("3.4", &args, hang)
}

/// Task 3.2: the parent received as many bytes as the child sent.
pub fn assert_len_received(r: &Report, len: usize) {
    let got = r.get("len");
    assert_eq!(
        got,
        len.to_string(),
        "{}",
        tr!(
            en: "the child sent {len} bytes; the parent got {got}",
            ru: "потомок отправил {len} байт; родитель получил {got}"
        )
    );
}

/// After the call: no child (running or zombie), no descriptor opened or closed, one thread,
/// and no process that outlived the scenario.
pub fn assert_clean(r: &Report, what: &str) {
    let cmd = &r.command;
    let zombies = r.get("zombies");
    assert_eq!(
        zombies,
        "0",
        "{}",
        tr!(
            en: "{what} left {zombies} zombie(s) (`{cmd}`): every child must be reaped with waitpid \
                 (wait_child), or it stays in the process table, state Z in /proc",
            ru: "{what}: осталось процессов-зомби: {zombies} (`{cmd}`): каждого потомка нужно \
                 дождаться через waitpid (wait_child), иначе он остаётся в таблице процессов, \
                 состояние Z в /proc"
        )
    );
    let children = r.get("children");
    assert_eq!(
        children,
        "0",
        "{}",
        tr!(
            en: "{what} returned while {children} child process(es) still ran (`{cmd}`): wait for \
                 (or kill and then wait for) every child before returning",
            ru: "{what}: возврат, пока ещё работали дочерние процессы: {children} (`{cmd}`): \
                 перед возвратом дождитесь (или завершите и затем дождитесь) каждого потомка"
        )
    );
    let leaked = r.get("leaked_fds");
    assert_eq!(
        leaked,
        "",
        "{}",
        tr!(
            en: "{what} left descriptors open (`{cmd}`): {leaked}. Drop (close) every pipe end once \
                 it is no longer needed, in the parent too",
            ru: "{what}: остались открытые дескрипторы (`{cmd}`): {leaked}. Освобождайте \
                 (закрывайте) каждый конец канала, как только он больше не нужен, и в родителе \
                 тоже"
        )
    );
    let closed = r.get("closed_fds");
    assert_eq!(
        closed,
        "",
        "{}",
        tr!(
            en: "{what} closed descriptors it did not open (`{cmd}`): {closed}. In the parent, close \
                 only the pipe ends you created; dup2 onto 0 and 1 belongs in the children",
            ru: "{what}: закрыты дескрипторы, которые не открывались (`{cmd}`): {closed}. В \
                 родителе закрывайте только созданные вами концы каналов; dup2 на 0 и 1 делается \
                 в потомках"
        )
    );
    assert_eq!(
        r.get("threads"),
        "1",
        "{}",
        tr!(
            en: "{what} left threads running (`{cmd}`): join every thread you spawn",
            ru: "{what}: остались работающие потоки (`{cmd}`): дождитесь (join) каждого \
                 запущенного потока"
        )
    );
    assert_eq!(
        r.get("leftover_processes"),
        "0",
        "{}",
        tr!(
            en: "processes started by {what} outlived it (`{cmd}`): a grandchild, or a child that \
                 escaped",
            ru: "{what}: запущенные процессы пережили вызов (`{cmd}`): внук или сбежавший \
                 потомок"
        )
    );
}
