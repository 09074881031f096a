//! What one run of a workload reports.

use std::fmt::Write;
use std::time::Duration;

/// The result of one workload run: its checksum, object counts, the time of each phase and
/// the pauses of automatic collections (where the peer exposes them).
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    /// A checksum of the work done; equal across peers for the same workload and size.
    pub checksum: u64,
    /// Nodes allocated.
    pub allocated: u64,
    /// Nodes freed by the end of the run (after its final collection).
    pub freed: u64,
    /// Named phases and their duration (e.g. "build", "collect"); "total" is always there.
    pub phases: Vec<(&'static str, Duration)>,
    /// Durations of individual automatic collections (B10).
    pub pauses: Vec<Duration>,
    /// Whether pause times were measured for this peer (`false`: it does not collect
    /// automatically, or exposes no way to see when it does).
    pub pauses_measured: bool,
}

impl Outcome {
    /// The duration of a phase, if recorded.
    pub fn phase(&self, name: &str) -> Option<Duration> {
        self.phases
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, d)| *d)
    }

    /// One `key=value` line, the format `bench-cell` prints and the driver parses.
    pub fn to_line(&self) -> String {
        let mut line = format!(
            "checksum={} allocated={} freed={}",
            self.checksum, self.allocated, self.freed
        );
        for (name, d) in &self.phases {
            let _ = write!(line, " {name}_ns={}", d.as_nanos());
        }
        if self.pauses_measured {
            let pauses: Vec<String> = self
                .pauses
                .iter()
                .map(|d| d.as_nanos().to_string())
                .collect();
            let _ = write!(
                line,
                " pauses_ns={}",
                if pauses.is_empty() {
                    "-".into()
                } else {
                    pauses.join(",")
                }
            );
        }
        line
    }
}
