//! A progress bar on stderr for runs that take more than a second; hidden when asked
//! to be (stderr not a terminal) and for shorter runs.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::time::{Duration, Instant};

/// How long a run goes before the bar appears.
const SHOW_AFTER: Duration = Duration::from_secs(1);

/// The bar of one run.
pub struct Progress {
    bar: Option<ProgressBar>,
    started: Instant,
    shown: bool,
}

impl Progress {
    /// A bar for `len` cases; `enabled` false gives one that never draws.
    pub fn new(len: usize, enabled: bool) -> Progress {
        let bar = enabled.then(|| {
            let bar = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::hidden());
            if let Ok(style) = ProgressStyle::with_template(
                "{bar:40} {pos}/{len} cases in {elapsed} ({eta} left) {wide_msg}",
            ) {
                bar.set_style(style);
            }
            bar
        });
        Progress {
            bar,
            started: Instant::now(),
            shown: false,
        }
    }

    /// One case is about to run.
    pub fn tick(&mut self, case_id: &str) {
        let Some(bar) = &self.bar else { return };
        if !self.shown && self.started.elapsed() >= SHOW_AFTER {
            bar.set_draw_target(ProgressDrawTarget::stderr());
            self.shown = true;
        }
        if self.shown {
            bar.set_message(case_id.to_owned());
        }
        bar.inc(1);
    }

    /// The run is over: the bar goes away.
    pub fn finish(self) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}
