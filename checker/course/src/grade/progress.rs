//! The progress display: a bar on a terminal, plain lines otherwise.

use super::Progress;
use crate::outputs::StudentResult;
use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::Duration;

/// Progress: an indicatif bar on a terminal, plain lines otherwise.
pub(super) struct Bar {
    bar: Option<indicatif::ProgressBar>,
    mode: Progress,
    total: usize,
    done: Mutex<usize>,
}

impl Bar {
    pub(super) fn new(mode: Progress, total: usize, skipped: usize) -> Bar {
        let tty =
            std::io::stderr().is_terminal() && std::env::var("CI").map_or(true, |v| v != "true");
        let bar = (mode == Progress::Auto && tty).then(|| {
            let b = indicatif::ProgressBar::new(total as u64);
            b.set_style(
                indicatif::ProgressStyle::with_template(
                    "{elapsed_precise} [{bar:30}] {pos}/{len} {msg}",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            b.enable_steady_tick(Duration::from_millis(200));
            b
        });
        if mode != Progress::Quiet {
            let line = crate::t!("grading-start", total = total, skipped = skipped);
            match &bar {
                Some(b) => b.println(line),
                None => eprintln!("{line}"),
            }
        }
        Bar {
            bar,
            mode,
            total,
            done: Mutex::new(0),
        }
    }

    pub(super) fn note(&self, line: &str) {
        match (&self.bar, self.mode) {
            (Some(b), _) => b.println(line),
            (None, Progress::Quiet) => {}
            (None, _) => eprintln!("{line}"),
        }
    }

    pub(super) fn start(&self, id: &str) {
        if let Some(b) = &self.bar {
            b.set_message(crate::t!("grading-one", student = id));
        }
    }

    pub(super) fn done(&self, id: &str, r: &StudentResult, took: Duration) {
        let n = {
            let mut d = self.done.lock().unwrap_or_else(|e| e.into_inner());
            *d += 1;
            *d
        };
        let line = crate::t!(
            "grading-progress",
            n = n,
            total = self.total,
            student = id,
            score = r.score.to_string(),
            max = r.max_score.to_string(),
            status = crate::i18n::text(
                crate::i18n::lang(),
                &format!("status-{}", r.extra_data.status),
                &[]
            ),
            secs = format!("{:.1}", took.as_secs_f64())
        );
        match (&self.bar, self.mode) {
            (Some(b), _) => {
                b.println(line);
                b.inc(1);
            }
            (None, Progress::Quiet) => {}
            (None, _) => eprintln!("{line}"),
        }
    }

    pub(super) fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}
