//! Task 4.2 — two tasks: 4 s and 3 s take 4 s.
//!
//! Write `hello_world`: the course's example, two `say_after` tasks that take 4 s together.
//!
//! Read `docs/src/lab4-async.md#task-4-2`; check: `cargo course check 4.2`.
//!
//! Задание 4.2 — Две задачи: 4 с и 3 с занимают 4 с.
//!
//! Читайте `docs/src/lab4-async.md#task-4-2`
//! (в русской книге: `ru/lab4-async.html#task-4-2`); проверка: `cargo course check 4.2`.

use crate::support::{say, say_after};
use kit::timeline::Timeline;
use std::time::Duration;

/// Task 4.2: the course's example.
///
/// Spawn `say_after(tl.clone(), 4 s, "hello")` and `say_after(tl.clone(), 3 s, "world")`
/// as two tasks, then `say(&tl, "main", "started")`, await both tasks, and
/// `say(&tl, "main", "finished")`. It ends after 4 s, not 7 s, having said `started` (0 s),
/// `world` (3 s), `hello` (4 s) and `finished` (4 s).
pub async fn hello_world(tl: Timeline) {
    let _ = (say, say_after, Duration::from_secs(4), tl);
    todo!("task 4.2")
}
