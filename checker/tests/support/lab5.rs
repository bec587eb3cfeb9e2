//! What Lab 5's public and hidden checks share: an experiment on a fresh scene, in virtual
//! time.
//!
//! Included with `#[path]` by `checker/tests/lab5.rs` and `checker/hidden/lab5.rs`.

use checker::harness::in_virtual_time;
use checker::lab5::scenarios::SETTLE;
use checker::lab5::scene::{Record, Scene};
use tokio::time::sleep;

/// Runs `experiment` on a fresh scene in virtual time, lets every job settle, and returns its
/// value with what the jobs recorded.
pub fn experiment<T, F>(experiment: impl FnOnce(Scene) -> F) -> (T, Record)
where
    F: std::future::Future<Output = T>,
{
    let ((value, _), record) = timed_experiment(experiment);
    (value, record)
}

/// Like [`experiment`], with the virtual time (ms) at which `experiment` returned its value:
/// `((value, ms), record)`.
pub fn timed_experiment<T, F>(experiment: impl FnOnce(Scene) -> F) -> ((T, u64), Record)
where
    F: std::future::Future<Output = T>,
{
    in_virtual_time(async move {
        let scene = Scene::new();
        let value = experiment(scene.clone()).await;
        let at = now_ms(&scene);
        sleep(SETTLE).await;
        ((value, at), scene.freeze())
    })
}

/// The virtual time now, in ms since `scene` was created.
pub fn now_ms(scene: &Scene) -> u64 {
    scene.timeline().elapsed().as_millis() as u64
}
