//! A progress line on standard error while reading takes longer than a second, only when
//! standard error is a terminal and the user did not ask for quiet. Reading happens on
//! worker threads; this only counts finished files and redraws one line.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Reading progress.
pub struct Progress {
    done: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Progress {
    /// Starts drawing after one second if standard error is a terminal.
    pub fn start(quiet: bool, total: u64) -> Progress {
        let done = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let (done, stop) = (done.clone(), stop.clone());
            std::thread::spawn(move || {
                let start = Instant::now();
                let mut drawn = false;
                while !stop.load(Ordering::Relaxed) {
                    std::thread::sleep(Duration::from_millis(100));
                    if start.elapsed() < Duration::from_secs(1) {
                        continue;
                    }
                    let n = done.load(Ordering::Relaxed);
                    let width = 30usize;
                    let filled = if total == 0 {
                        0
                    } else {
                        (n as usize * width / total as usize).min(width)
                    };
                    eprint!(
                        "\r\x1b[2Kreading [{}{}] {n}/{total} files, {:.0} s",
                        "=".repeat(filled),
                        " ".repeat(width - filled),
                        start.elapsed().as_secs_f64()
                    );
                    let _ = std::io::stderr().flush();
                    drawn = true;
                }
                if drawn {
                    eprint!("\r\x1b[2K");
                }
            })
        });
        Progress { done, stop, thread }
    }

    /// Counts finished files.
    pub fn advance(&self, n: u64) {
        self.done.fetch_add(n, Ordering::Relaxed);
    }

    /// Stops and clears the line.
    pub fn finish(mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
