//! The check harness: deadlines, verdicts and virtual time.
//!
//! A check is an ordinary `#[test]` whose body is a closure passed to [`check!`](crate::check):
//!
//! ```ignore
//! mod task_1_3 {
//!     use checker::{check, lab1};
//!     #[test]
//!     fn counts_the_primes_below_100() {
//!         check!(|| assert_eq!(lab1::workloads::count_primes(100), 25));
//!     }
//! }
//! ```
//!
//! A closure in parentheses is ordinary Rust to rustfmt, which formats every check's body.
//! The macro finds the task from the module name (`task_1_3` → task 1.3 in `course.toml`),
//! runs the closure on its own thread and waits for it no longer than the task's deadline.
//! When the body fails, the failure message starts with a marker that the course tool reads
//! to give a verdict: [`NOT_IMPLEMENTED`], [`TIMED_OUT`], [`STUDENT_PANIC`]; an assertion
//! failure keeps its own message (a wrong answer).
//!
//! Run by the course tool, a check's pass is sealed (see [`kit::seal`]): the harness takes
//! the process's secret from its pipe and closes the pipe before the body runs, and prints
//! the seal only once the body has returned without a failure. Printed text and exit codes
//! never make a pass. Under plain `cargo test` there is no secret and no seal.
//!
//! Last, what several labs' download checks expect of a [`SlowServer`]'s answers and requests
//! ([`assert_downloads_in_place`], [`assert_requests`]).

use kit::course::{Course, Lab, Task};
use kit::server::{SlowServer, body_of};
use model::lang::Lang;
use model::tr;
use std::cell::RefCell;
use std::panic;
use std::sync::{Mutex, Once, OnceLock, mpsc};

/// The markers a failure message starts with, shared with the course tool that reads them.
pub use model::marker::{NOT_IMPLEMENTED, STUDENT_PANIC, TIMED_OUT};

/// Runs a check's body, a closure (`check!(|| { ... })`), with its task's deadline. Use it
/// inside `mod task_N_K`: see [`run_check`].
#[macro_export]
macro_rules! check {
    ($body:expr $(,)?) => {
        $crate::harness::run_check(module_path!(), $body)
    };
}

/// The lab and task a check module belongs to: `lab1::task_1_3` → task `1.3`.
pub fn task_of(module_path: &str) -> (&'static Lab, &'static Task) {
    let segment = module_path
        .split("::")
        .find(|s| s.starts_with("task_"))
        .unwrap_or_else(|| {
            panic!(
                "{}",
                tr!(
                    en: "check! outside a `mod task_N_K` (in {module_path})",
                    ru: "check! вне модуля `mod task_N_K` (в {module_path})"
                )
            )
        });
    let id = segment.trim_start_matches("task_").replace('_', ".");
    Course::embedded().task(&id).unwrap_or_else(|| {
        panic!(
            "{}",
            tr!(
                en: "{module_path}: course.toml has no task {id}",
                ru: "{module_path}: в course.toml нет задания {id}"
            )
        )
    })
}

/// A task's title and hint in the student's language (course.toml's `title_ru` and `hint_ru`
/// in Russian).
pub fn title_and_hint(task: &Task) -> (&str, &str) {
    let lang = Lang::current();
    (task.title_in(lang), task.hint_in(lang))
}

thread_local! {
    /// Where this thread first panicked (file:line): read by the check's own thread, so
    /// checks running side by side in one `cargo test` never see each other's panics.
    static FIRST_PLACE: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Where a `todo!()` was last reached on any thread (a check's body may reach one on a thread
/// it spawned, then fail with "called unwrap on an Err"). Only consulted to upgrade such a
/// failure to "not implemented".
static TODO_PLACE: Mutex<Option<String>> = Mutex::new(None);

fn install_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if let Some(l) = info.location() {
                let place = format!("{}:{}", l.file(), l.line());
                if info
                    .payload_as_str()
                    .is_some_and(kit::demo::is_not_implemented)
                {
                    *TODO_PLACE.lock().unwrap_or_else(|e| e.into_inner()) = Some(place.clone());
                }
                FIRST_PLACE.with(|p| {
                    p.borrow_mut().get_or_insert(place);
                });
            }
            previous(info); // still printed: libtest shows it under the failed check
        }));
    });
}

/// `true` for a panic location inside a lab's crate (the student's code or the reference).
fn in_lab_code(place: &str) -> bool {
    ["labs/", "solutions/"]
        .iter()
        .any(|p| place.starts_with(p) || place.contains(&format!("/{p}")))
        && !place.contains("labs/kit/")
}

/// The secret of this process (see [`kit::seal`]), taken once from its pipe, which is then
/// closed: code that runs after this (every check body) cannot read it from there.
fn take_secret() -> Option<&'static [u8; kit::seal::SECRET_LEN]> {
    static SECRET: OnceLock<Option<[u8; kit::seal::SECRET_LEN]>> = OnceLock::new();
    SECRET
        .get_or_init(|| {
            use std::io::Read;
            use std::os::fd::FromRawFd;
            let fd: i32 = std::env::var(kit::seal::SECRET_FD_ENV).ok()?.parse().ok()?;
            if fd < 3 {
                return None;
            }
            // SAFETY: the course tool opened this descriptor for us alone and nothing else in
            // the process uses it; the File owns it from here and closes it when dropped.
            let pipe = unsafe { std::fs::File::from_raw_fd(fd) };
            let mut secret = [0u8; kit::seal::SECRET_LEN];
            let mut rest = Vec::new();
            let mut pipe = pipe.take(kit::seal::SECRET_LEN as u64 + 1);
            pipe.read_exact(&mut secret).ok()?;
            // Exactly the secret, then end of file: anything else is not our pipe.
            pipe.read_to_end(&mut rest).ok()?;
            rest.is_empty().then_some(secret)
        })
        .as_ref()
}

/// The check this process was asked to run (`--exact NAME`, as the course tool runs it).
fn exact_name() -> Option<String> {
    let mut args = std::env::args().skip_while(|a| a != "--exact");
    args.next()?;
    args.next()
}

/// Seals the pass of the check this process runs, on stderr (written directly: libtest does
/// not capture it, and a passing check's stdout is libtest's alone).
fn seal_pass(secret: &[u8; kit::seal::SECRET_LEN]) {
    use std::io::Write;
    let name = exact_name().unwrap_or_default();
    let line = format!("\n{}\n", kit::seal::pass_line(secret, &name));
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(line.as_bytes());
    let _ = err.flush();
}

/// The body of [`check!`]: runs `body` on its own thread, waits at most the task's
/// deadline, and turns what went wrong into a failure message with a verdict marker.
pub fn run_check<F: FnOnce() + Send + 'static>(module_path: &str, body: F) {
    // Before anything of the check runs: the secret leaves its pipe, and the pipe is closed.
    let secret = take_secret();
    install_hook();
    let (lab, task) = task_of(module_path);
    let deadline = task.timeout(lab);
    *TODO_PLACE.lock().unwrap_or_else(|e| e.into_inner()) = None;
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name(format!("check {}", task.id))
        .spawn(move || {
            let result = panic::catch_unwind(panic::AssertUnwindSafe(body));
            let place = FIRST_PLACE.with(|p| p.borrow_mut().take());
            let _ = tx.send((result, place));
        })
        .unwrap_or_else(|e| {
            panic!(
                "{}: {e}",
                tr!(
                    en: "cannot spawn the thread of a check",
                    ru: "не удалось запустить поток проверки"
                )
            )
        });
    let (payload, place) = match rx.recv_timeout(deadline) {
        Ok((Ok(()), _)) => {
            if let Some(secret) = secret {
                seal_pass(secret);
            }
            return;
        }
        Ok((Err(payload), place)) => (payload, place.unwrap_or_default()),
        Err(_) => {
            let (id, secs) = (&task.id, deadline.as_secs());
            let (title, hint) = title_and_hint(task);
            panic!(
                "{TIMED_OUT} {}",
                tr!(
                    en: "task {id} ({title}) did not finish within {secs} s. Is something waiting \
                         forever: a lock that is never released, a join on a thread that never \
                         ends, a read with no EOF? Hint: {hint}",
                    ru: "задание {id} ({title}) не завершилось за {secs} с. Не ждёт ли что-то \
                         вечно: блокировка, которую никто не освобождает, join потока, который \
                         никогда не заканчивается, чтение без EOF? Подсказка: {hint}"
                )
            )
        }
    };
    let message = panic_message(&*payload);
    let todo_elsewhere = TODO_PLACE.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let file = lab.task_path(task);
    let (not_implemented, place) = match todo_elsewhere {
        _ if kit::demo::is_not_implemented(&message) => (true, place),
        Some(todo) if in_lab_code(&todo) => (true, todo),
        _ => (false, place),
    };
    if not_implemented {
        let (id, title, file, lab) = (&task.id, title_and_hint(task).0, file.display(), &lab.id);
        panic!(
            "{NOT_IMPLEMENTED} {}",
            tr!(
                en: "task {id} ({title}) is not implemented yet: todo!() reached at {place}. \
                     Write it in {file}, then run `cargo course check {lab}`.",
                ru: "задание {id} ({title}) ещё не реализовано: выполнение дошло до todo!() в \
                     {place}. Напишите его в {file}, затем запустите `cargo course check {lab}`."
            )
        );
    }
    if in_lab_code(&place) {
        panic!(
            "{STUDENT_PANIC} {}",
            tr!(
                en: "your code panicked at {place}: {message}",
                ru: "ваш код завершился паникой в {place}: {message}"
            )
        );
    }
    // An assertion of the check failed: its own message says what was expected.
    panic::resume_unwind(payload);
}

/// The text of a panic's payload (`panic!("...")` with or without arguments), or `""`.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_default()
}

/// The checks' runtimes, kit's: `paused_runtime()` (a current-thread runtime whose clock is
/// paused: `sleep(3 s)` completes at virtual 3 s in microseconds of real time, and the order
/// of events is exact; build one per check), `in_virtual_time(fut)` on one, and
/// `on_one_thread(fut)` in real time, the event loop as an asyncio program has it.
pub use kit::runtime::{in_virtual_time, on_one_thread, paused as paused_runtime};

// ─── What the labs' download checks expect ──────────────────────────────────────────────

/// Asserts what a download function returned for URLs of a [`SlowServer`], in order: where
/// `expected` says `Some(i)`, the body of resource `i`; where it says `None` (a URL of no
/// resource), an `Err` in that very place. `who` starts each message (`""`, `"download_all: "`).
pub fn assert_downloads_in_place<E>(
    who: &str,
    results: &[Result<String, E>],
    expected: &[Option<usize>],
) {
    assert_eq!(
        results.len(),
        expected.len(),
        "{}",
        tr!(
            en: "{who}one result per URL, errors included",
            ru: "{who}по одному результату на URL, включая ошибки"
        )
    );
    for (k, (result, wanted)) in results.iter().zip(expected).enumerate() {
        match wanted {
            Some(i) => assert_eq!(
                result.as_deref().ok(),
                Some(body_of(*i).as_str()),
                "{}",
                tr!(
                    en: "{who}URL {k}: the body of resource {i}, in its URL's place (a failure must \
                         not stop the downloads after it)",
                    ru: "{who}URL {k}: тело ресурса {i} на месте его URL (ошибка не должна \
                         останавливать загрузки после неё)"
                )
            ),
            None => assert!(
                result.is_err(),
                "{}",
                tr!(
                    en: "{who}URL {k} names no resource: its result must be an Err, in its place",
                    ru: "{who}URL {k} не указывает ни на какой ресурс: его результат должен быть \
                         Err, на своём месте"
                )
            ),
        }
    }
}

/// The body a download function returned for a resource that exists (`.map(existing_body)`):
/// fails, with the error, where it returned an `Err`.
pub fn existing_body<E: std::fmt::Debug>(result: Result<String, E>) -> String {
    result.unwrap_or_else(|e| {
        let what = tr!(en: "every resource exists", ru: "каждый ресурс существует");
        panic!("{what}: {e:?}")
    })
}

/// Asserts a [`SlowServer`] answered `urls` requests, one per URL, and never handled more than
/// `at_once` at the same moment; `why` says why that bound holds for the code under check.
pub fn assert_requests(server: &SlowServer, urls: usize, at_once: usize, why: &str) {
    let (served, in_flight) = (server.served(), server.max_in_flight());
    assert_eq!(
        served,
        urls,
        "{}",
        tr!(
            en: "{served} requests for {urls} URLs: each URL is requested exactly once",
            ru: "{served} запросов для {urls} URL: каждый URL запрашивается ровно один раз"
        )
    );
    assert!(
        in_flight <= at_once,
        "{}",
        tr!(
            en: "the server saw {in_flight} requests at once: {why}",
            ru: "сервер получил {in_flight} запросов одновременно: {why}"
        )
    );
}
