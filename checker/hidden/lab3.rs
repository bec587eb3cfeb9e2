//! Hidden checks of Lab 3 — the instructor's edition only.
//!
//! The same tasks as `checker/tests/lab3.rs`, with other exit codes, payloads, counts,
//! several children and signals: a solution tuned to the public checks' numbers fails here,
//! a correct one passes both. Each check runs a scenario of `run-lab lab3 --scenario ...` in
//! a fresh single-threaded process (see the public checks' module docs: fork only from a
//! process with one thread).
//!
//! Rules (same as the public checks): structural evidence only, exact values, no upper bound
//! on real time; each check belongs to one `mod task_N_K`.

#[path = "../tests/support/run_lab.rs"]
mod run_lab;
#[path = "../tests/support/lab3.rs"]
#[allow(dead_code)]
mod support;

use checker::check;
use model::tr;
use support::{Report, assert_clean, assert_len_received, fan_out_scenario, scenario};

mod task_3_1 {
    use super::*;
    fn hang() -> String {
        tr!(
            en: "run_in_child should return as soon as its child ends: does the parent wait for \
                 the right pid (waitpid(pid)), and does the child end with sys::exit_child?",
            ru: "run_in_child должна вернуть управление, как только её потомок завершится: ждёт \
                 ли родитель нужный pid (waitpid(pid)) и завершается ли потомок через \
                 sys::exit_child?"
        )
    }

    #[test]
    fn other_codes_several_children_and_signals() {
        check!(|| {
            let r = scenario(
                "3.1",
                &[
                    "exit-status",
                    "--cases",
                    "sibling,exit3,eintr,sigterm,sibling,panic,eintr",
                ],
                &hang(),
            );
            for (case, expected) in [
                ("sibling", "Ok(Exited(3))"),
                ("exit3", "Ok(Exited(3))"),
                ("eintr", "Ok(Exited(4))"),
                ("sigterm", "Ok(Signaled(SIGTERM))"),
                ("panic", "Ok(Exited(101))"),
            ] {
                let got = r.get(&format!("case.{case}"));
                assert_eq!(
                    got,
                    expected,
                    "{}",
                    tr!(
                        en: "case {case}: expected {expected}, got {got}",
                        ru: "случай {case}: ожидалось {expected}, получено {got}"
                    )
                );
            }
            assert_eq!(
                r.get("sibling_status"),
                "Exited(7)",
                "{}",
                tr!(
                    en: "another child's status was collected by run_in_child: wait for the pid \
                         fork returned",
                    ru: "run_in_child забрала статус чужого потомка: ждите pid, который вернул \
                         fork"
                )
            );
            assert_clean(&r, "run_in_child");
        })
    }

    #[test]
    fn wait_child_waits_for_the_pid_it_is_given() {
        check!(|| {
            for _ in 0..3 {
                let r = scenario("3.1", &["wait-order"], &hang());
                assert_eq!(
                    (r.get("slow"), r.get("fast")),
                    ("Ok(Exited(6))", "Ok(Exited(5))"),
                    "{}",
                    tr!(
                        en: "wait_child(slow) then wait_child(fast): each must report its own \
                             child",
                        ru: "wait_child(slow), затем wait_child(fast): каждый должен сообщить о \
                             своём потомке"
                    )
                );
                assert_clean(&r, "wait_child");
            }
        })
    }
}

mod task_3_2 {
    use super::*;
    fn hang() -> String {
        tr!(
            en: "Close the parent's write end before reading, and read to end of file before \
                 waitpid.",
            ru: "Закройте конец записи родителя до чтения и читайте до конца файла до waitpid."
        )
    }

    #[test]
    fn other_sizes_around_the_pipe_buffer() {
        check!(|| {
            for len in [1usize, 4096, 65_535, 65_536, 65_537, 3_000_000] {
                let r = scenario("3.2", &["pipe", "--bytes", &len.to_string()], &hang());
                assert_eq!(
                    r.get("result"),
                    "Ok",
                    "{}",
                    tr!(
                        en: "compute_in_child({len} bytes) failed: {}",
                        ru: "compute_in_child({len} байт) завершилась ошибкой: {}",
                        r.get("result")
                    )
                );
                assert_len_received(&r, len);
                assert_eq!(
                    r.get("intact"),
                    "true",
                    "{}",
                    tr!(
                        en: "{len} bytes arrived altered at byte {}",
                        ru: "{len} байт пришли искажёнными в байте {}",
                        r.get("first_diff")
                    )
                );
                assert_eq!(r.get("status"), "Exited(0)");
                assert_clean(&r, "compute_in_child");
            }
        })
    }

    #[test]
    fn a_large_result_then_a_panic() {
        check!(|| {
            let r = scenario("3.2", &["pipe", "--bytes", "200000", "--panic"], &hang());
            assert_eq!(
                r.get("status"),
                "Exited(101)",
                "{}",
                tr!(
                    en: "the child's function panicked: exit code 101",
                    ru: "функция потомка завершилась паникой: код выхода 101"
                )
            );
            assert_clean(&r, "compute_in_child");
        })
    }
}

mod task_3_3 {
    use super::*;
    fn hang() -> String {
        tr!(en: "Close the unused write end.", ru: "Закройте неиспользуемый конец записи.")
    }

    #[test]
    fn other_start_values() {
        check!(|| {
            for start in [0u64, 7, 123_456_789] {
                let r = scenario(
                    "3.3",
                    &["isolation", "--start", &start.to_string()],
                    &hang(),
                );
                assert_eq!(r.get("result"), "Ok", "{}", r.get("result"));
                assert_ne!(
                    r.get("child_pid"),
                    r.get("parent_pid"),
                    "{}",
                    tr!(
                        en: "the increment must run in a child",
                        ru: "увеличение должно выполняться в потомке"
                    )
                );
                assert_eq!(
                    r.get("child_value"),
                    (start + 1).to_string(),
                    "{}",
                    tr!(
                        en: "the child's value after its increment",
                        ru: "значение потомка после его увеличения"
                    )
                );
                assert_eq!(
                    r.get("parent_value"),
                    start.to_string(),
                    "{}",
                    tr!(
                        en: "the parent's counter must not change",
                        ru: "счётчик родителя не должен меняться"
                    )
                );
                assert_clean(&r, "increment_in_child");
            }
        })
    }
}

mod task_3_4 {
    use super::*;
    fn hang() -> String {
        tr!(
            en: "Start every child before reading; drop each write end before the next fork.",
            ru: "Запустите всех потомков до чтения; освобождайте каждый конец записи до \
                 следующего fork."
        )
    }

    fn summary(inputs: &str, processes: &str) -> Report {
        let more = ["--summary", "--deadline-ms", "6000"];
        let r = fan_out_scenario(inputs, processes, "square", &more, &hang());
        assert_eq!(
            r.get("result"),
            "Ok",
            "{}",
            tr!(
                en: "fan_out({inputs}, {processes}) failed: {}",
                ru: "fan_out({inputs}, {processes}) завершилась ошибкой: {}",
                r.get("result")
            )
        );
        assert_eq!(
            r.get("len"),
            inputs,
            "{}",
            tr!(
                en: "fan_out({inputs}, {processes}): one result per input",
                ru: "fan_out({inputs}, {processes}): по одному результату на вход"
            )
        );
        assert_eq!(
            r.get("matches"),
            "true",
            "{}",
            tr!(
                en: "fan_out({inputs}, {processes}) differs from the sequential map (same numbers \
                     in another order: {})",
                ru: "fan_out({inputs}, {processes}) отличается от последовательного map (те же \
                     числа в другом порядке: {})",
                r.get("same_numbers")
            )
        );
        assert_clean(&r, "fan_out");
        r
    }

    #[test]
    fn other_sizes_and_counts() {
        check!(|| {
            summary("1", "5");
            summary("9", "9");
            summary("10", "4");
            summary("100000", "4");
            summary("33333", "2");
        })
    }

    #[test]
    fn a_child_that_fails_is_an_error() {
        check!(|| {
            let r = fan_out_scenario("10", "3", "exit-on-last", &[], &hang());
            assert_eq!(
                r.get("result"),
                "Err(EIO)",
                "{}",
                tr!(
                    en: "fan_out(10 inputs, 3 processes): the child of the last chunk ended with \
                         exit code 3 before it sent its results. A child that fails, or sends \
                         fewer bytes than its chunk needs, makes fan_out Err(Errno::EIO): check \
                         each child's status and the length of its answer",
                    ru: "fan_out(10 входов, 3 процесса): потомок последней части завершился с \
                         кодом 3, не отправив результатов. Потомок, который завершается неудачей \
                         или отправляет меньше байт, чем нужно его части, делает результат \
                         fan_out Err(Errno::EIO): проверяйте статус каждого потомка и длину его \
                         ответа"
                )
            );
            assert_clean(&r, "fan_out");
        })
    }

    #[test]
    fn one_child_per_chunk_at_the_same_time() {
        check!(|| {
            let r = fan_out_scenario("9", "3", "pid", &[], &hang());
            assert_eq!(r.get("result"), "Ok", "{}", r.get("result"));
            let distinct = r
                .get("distinct")
                .split(',')
                .filter(|x| !x.is_empty())
                .count();
            assert_eq!(
                distinct,
                3,
                "{}",
                tr!(
                    en: "9 inputs over 3 processes: 3 distinct children expected, saw {distinct}",
                    ru: "9 входов на 3 процесса: ожидалось 3 различных потомка, увидено \
                         {distinct}"
                )
            );
            assert_clean(&r, "fan_out");
        })
    }
}

mod task_3_5 {
    use super::*;
    fn hang() -> String {
        tr!(
            en: "Close every unused pipe end, in the parent and in each child after dup2.",
            ru: "Закройте каждый неиспользуемый конец канала, в родителе и в каждом потомке после \
                 dup2."
        )
    }

    fn run(words: &[&str]) -> Report {
        let mut args = vec!["pipeline", "--"];
        args.extend_from_slice(words);
        let r = scenario("3.5", &args, &hang());
        assert_eq!(
            r.get("result"),
            "Ok",
            "{}",
            tr!(
                en: "pipeline({}) failed: {}",
                ru: "pipeline({}) завершилась ошибкой: {}",
                words.join(" "),
            r.get("result")
            )
        );
        assert_clean(&r, "pipeline");
        r
    }

    fn text(r: &Report) -> String {
        let hex = r.get("stdout_hex");
        let bytes: Vec<u8> = (0..hex.len() / 2)
            .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap())
            .collect();
        String::from_utf8_lossy(&bytes).into_owned()
    }

    #[test]
    fn a_missing_command_says_so_on_stderr() {
        check!(|| {
            let r = scenario(
                "3.5",
                &[
                    "pipeline",
                    "--capture-stderr",
                    "--",
                    "no-such-command-lab3x",
                    "|",
                    "cat",
                ],
                &hang(),
            );
            assert_eq!(
                r.get("result"),
                "Ok",
                "{}",
                tr!(
                    en: "pipeline(no-such-command-lab3x | cat) failed: {}",
                    ru: "pipeline(no-such-command-lab3x | cat) завершилась ошибкой: {}",
                    r.get("result")
                )
            );
            let stderr = r.get("stderr");
            assert!(
                stderr.contains("no-such-command-lab3x") && stderr.contains("not found"),
                "{}",
                tr!(
                    en: "pipeline(no-such-command-lab3x | cat): when execvp fails with ENOENT the \
                         child writes `lab3: NAME: command not found` to stderr before \
                         exit_child(127); stderr had {stderr:?}",
                    ru: "pipeline(no-such-command-lab3x | cat): когда execvp завершается с \
                         ENOENT, потомок пишет в stderr `lab3: NAME: command not found` перед \
                         exit_child(127); в stderr было {stderr:?}"
                )
            );
            assert_clean(&r, "pipeline");
        })
    }

    #[test]
    fn four_commands_and_other_statuses() {
        check!(|| {
            let r = run(&[
                "printf",
                "b\\na\\nc\\n",
                "|",
                "sort",
                "|",
                "tr",
                "a-z",
                "A-Z",
                "|",
                "cat",
            ]);
            assert_eq!(text(&r), "A\nB\nC\n", "printf | sort | tr | cat");
            assert_eq!(
                r.get("statuses"),
                "[Exited(0), Exited(0), Exited(0), Exited(0)]"
            );
            let r = run(&["sh", "-c", "exit 7", "|", "sh", "-c", "cat; exit 9"]);
            assert_eq!(
                r.get("statuses"),
                "[Exited(7), Exited(9)]",
                "{}",
                tr!(
                    en: "every command's own exit code, in order",
                    ru: "собственный код выхода каждой команды, по порядку"
                )
            );
            let r = run(&["seq", "1", "300000", "|", "wc", "-l"]);
            assert_eq!(
                text(&r).trim(),
                "300000",
                "{}",
                tr!(
                    en: "more than a pipe holds flows through",
                    ru: "больше, чем вмещает канал, проходит насквозь"
                )
            );
        })
    }
}

mod task_3_6 {
    use super::*;

    #[test]
    fn other_counts_and_stubborn_losers() {
        check!(|| {
            for (jobs, fast) in [("5", "4"), ("6", "0"), ("2", "1")] {
                let r = scenario(
                    "3.6",
                    &[
                        "race",
                        "--jobs",
                        jobs,
                        "--fast",
                        fast,
                        "--stubborn",
                        "--deadline-ms",
                        "5000",
                    ],
                    &tr!(
                        en: "Kill every loser with SIGKILL before waiting for it.",
                        ru: "Убейте каждого проигравшего через SIGKILL, прежде чем его ждать."
                    ),
                );
                assert_eq!(r.get("result"), "Ok", "{}", r.get("result"));
                assert_eq!(
                    r.get("winner"),
                    fast,
                    "{}",
                    tr!(
                        en: "job {fast} answers at once: it wins",
                        ru: "задание {fast} отвечает сразу: оно побеждает"
                    )
                );
                assert_eq!(
                    r.get("output"),
                    format!("job {fast}"),
                    "{}",
                    tr!(en: "the winner's whole output", ru: "весь вывод победителя")
                );
                assert_clean(&r, "first_to_finish");
            }
        })
    }
}

mod task_3_7 {
    use super::*;
    fn hang() -> String {
        tr!(
            en: "Reap every child, join every thread.",
            ru: "Дождитесь каждого потомка (waitpid) и каждого потока (join)."
        )
    }

    #[test]
    fn other_round_counts() {
        check!(|| {
            for rounds in [2u64, 7, 50] {
                let r = scenario("3.7", &["cost", "--rounds", &rounds.to_string()], &hang());
                for key in ["fork_wait", "thread", "program"] {
                    let ns: u64 = r
                        .get(&format!("{key}_ns"))
                        .parse()
                        .unwrap_or_else(|_| panic!("{key}: {}", r.get(&format!("{key}_ns"))));
                    let outer: u64 = r
                        .get(&format!("{key}_outer_ns"))
                        .parse()
                        .unwrap_or(u64::MAX);
                    assert!(
                        ns > 0,
                        "{}",
                        tr!(en: "{key}: a mean of 0 ns", ru: "{key}: среднее 0 нс")
                    );
                    assert!(
                        ns.saturating_mul(rounds) <= outer,
                        "{}",
                        tr!(
                            en: "{key}: {ns} ns × {rounds} rounds > the whole call ({outer} ns): \
                                 divide by rounds",
                            ru: "{key}: {ns} нс × {rounds} раундов > весь вызов ({outer} нс): \
                                 делите на число раундов"
                        )
                    );
                    if r.get("pid_wrapped") != "true" {
                        let pids: u64 = r.get(&format!("{key}_pids")).parse().unwrap_or(0);
                        assert!(
                            pids >= rounds,
                            "{}",
                            tr!(
                                en: "{key}: {rounds} rounds, {pids} ids handed out",
                                ru: "{key}: {rounds} раундов, выдано идентификаторов: {pids}"
                            )
                        );
                    }
                }
                let alive = r.get("threads_alive_after");
                assert!(
                    alive == "0" || alive == "unknown",
                    "{}",
                    tr!(
                        en: "thread_spawn_join({rounds}) left {alive} threads never joined",
                        ru: "thread_spawn_join({rounds}) оставила потоков, которых так и не \
                             дождались (join): {alive}"
                    )
                );
                assert_clean(&r, &tr!(en: "the cost functions", ru: "функции стоимости"));
            }
        })
    }
}
