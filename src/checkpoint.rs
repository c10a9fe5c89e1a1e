//! The checkpoint: where each tailed file was read to, and the aggregation
//! state at exactly that point, in one atomic write (temp file, fsync,
//! rename, fsync of the directory). Restoring both together is what makes
//! counters exact across `kill -9`: lines after the checkpoint are read
//! again and counted once, lines before it are never counted again.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::aggregate::{
    AggregateCheckpoint, IncidentCheckpoint, PodRuleCount, RuleCount, RuleSeen,
};
use crate::matcher::ScanStats;
use crate::tail::checkpoint::FileCheckpoint;

const FILE_NAME: &str = "tailwatch.checkpoint.json";

/// Counters and aggregation state that must survive restarts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CounterState {
    pub matches: Vec<RuleCount>,
    /// Of `matches`, those in pods' logs (absent in checkpoints written
    /// before pods were counted).
    #[serde(default)]
    pub matches_in_pods: Vec<RuleCount>,
    /// Per pod, rule and severity, for the pods whose series are shown.
    #[serde(default)]
    pub pod_matches: Vec<PodRuleCount>,
    /// Lines and bytes read, per configured input.
    pub lines_by_input: Vec<(String, u64)>,
    pub bytes_by_input: Vec<(String, u64)>,
    /// Bytes given up, by reason.
    pub bytes_abandoned: Vec<(String, u64)>,
    /// Incidents open at the checkpoint (absent in checkpoints written
    /// before incidents were kept).
    #[serde(default)]
    pub incidents: Vec<IncidentCheckpoint>,
    /// Everything the scanner counted, per configured input (absent in
    /// older checkpoints: then only lines and bytes come back).
    #[serde(default)]
    pub stats_by_input: Vec<(String, ScanStats)>,
    /// Per rule that matched: first and last seen, sample, timeline,
    /// windows (absent in older checkpoints).
    #[serde(default)]
    pub seen: Vec<RuleSeen>,
    /// The log time span seen (Unix µs).
    #[serde(default)]
    pub span: Option<(i64, i64)>,
}

impl CounterState {
    /// What of it the aggregation restores.
    pub fn aggregate(self) -> AggregateCheckpoint {
        AggregateCheckpoint {
            matches: self.matches,
            matches_in_pods: self.matches_in_pods,
            pod_matches: self.pod_matches,
            incidents: self.incidents,
            seen: self.seen,
            span: self.span,
        }
    }
}

/// The match output file as a checkpoint saw it: a restart cuts it back to
/// `len`, since the records after that are written again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutputCheckpoint {
    pub path: String,
    pub len: u64,
}

/// The persisted document, versioned so that a later format can still read
/// this one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "version")]
pub enum Checkpoint {
    #[serde(rename = "1")]
    V1 {
        files: Vec<FileCheckpoint>,
        /// Rotated files that need no more reading, and how far they were
        /// read. Absent in checkpoints written before it was kept.
        #[serde(default)]
        finished: Option<Vec<FileCheckpoint>>,
        /// The match output file and its length at this checkpoint.
        #[serde(default)]
        matches_out: Option<OutputCheckpoint>,
        counters: CounterState,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum CheckpointError {
    #[error("cannot write checkpoint: {op} {path}: {source}")]
    Write {
        /// What was being done: creating, writing, syncing, renaming.
        op: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("cannot read checkpoint {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("checkpoint {path} is not valid ({source}); move it away to start afresh")]
    Parse {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
}

/// Reads and writes the checkpoint of one agent in its directory.
#[derive(Debug, Clone)]
pub struct CheckpointStore {
    dir: PathBuf,
}

impl CheckpointStore {
    pub fn new(dir: &Path) -> Result<Self, CheckpointError> {
        fs::create_dir_all(dir).map_err(|source| CheckpointError::Write {
            op: "creating directory",
            path: dir.to_path_buf(),
            source,
        })?;
        Ok(CheckpointStore {
            dir: dir.to_path_buf(),
        })
    }

    pub fn path(&self) -> PathBuf {
        Self::file_in(&self.dir)
    }

    /// The checkpoint's file in `dir`.
    pub fn file_in(dir: &Path) -> PathBuf {
        dir.join(FILE_NAME)
    }

    /// The last checkpoint, or `None` when there is none yet.
    pub fn load(&self) -> Result<Option<Checkpoint>, CheckpointError> {
        let path = self.path();
        let text = match fs::read(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(CheckpointError::Read { path, source }),
        };
        serde_json::from_slice(&text)
            .map(Some)
            .map_err(|source| CheckpointError::Parse { path, source })
    }

    /// Writes `checkpoint` so that a crash at any moment leaves either the
    /// old or the new one whole.
    pub fn save(&self, checkpoint: &Checkpoint) -> Result<(), CheckpointError> {
        let tmp = self.dir.join(format!("{FILE_NAME}.tmp"));
        let err = |op, path: &Path| {
            let path = path.to_path_buf();
            move |source| CheckpointError::Write { op, path, source }
        };
        let mut file = File::create(&tmp).map_err(err("creating", &tmp))?;
        let bytes = serde_json::to_vec(checkpoint)
            .map_err(io::Error::from)
            .map_err(err("encoding", &tmp))?;
        file.write_all(&bytes).map_err(err("writing", &tmp))?;
        file.sync_all().map_err(err("syncing", &tmp))?;
        drop(file);
        let path = self.path();
        fs::rename(&tmp, &path).map_err(err("renaming into place", &path))?;
        File::open(&self.dir)
            .and_then(|d| d.sync_all())
            .map_err(err("syncing directory", &self.dir))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Severity;
    use crate::tail::checkpoint::{FileId, Fingerprint};

    #[test]
    fn saves_and_loads_the_versioned_document() {
        let dir = tempfile::tempdir().unwrap();
        let store = CheckpointStore::new(dir.path()).unwrap();
        assert_eq!(store.load().unwrap(), None);
        let cp = Checkpoint::V1 {
            finished: Some(vec![]),
            matches_out: Some(OutputCheckpoint {
                path: "/var/log/tailwatch/matches.jsonl".into(),
                len: 1234,
            }),
            files: vec![FileCheckpoint {
                path: "/var/log/app.log".into(),
                id: FileId { dev: 1, ino: 2 },
                fingerprint: Fingerprint::of(b"first line\n"),
                offset: 11,
                size_seen: 11,
                skipping: false,
                real_path: None,
            }],
            counters: CounterState {
                incidents: vec![IncidentCheckpoint {
                    rule: "deadlock_detected".into(),
                    severity: Severity::Error,
                    matches: 3,
                    opened_us: 1,
                    last_match_us: 2,
                }],
                ..CounterState::default()
            },
        };
        store.save(&cp).unwrap();
        assert_eq!(store.load().unwrap(), Some(cp));
        let text = std::fs::read_to_string(store.path()).unwrap();
        assert!(text.starts_with(r#"{"version":"1""#), "{text}");
    }

    #[test]
    fn reads_checkpoints_written_before_incidents_were_kept() {
        let old = r#"{"version":"1","discovered_at_ms":5,"files":[{"path":"/a.log","id":{"dev":1,"ino":2},"fingerprint":{"len":3,"hash":4},"offset":10,"size_seen":12}],"counters":{"matches":[{"rule":"r","severity":"error","count":7}],"lines_by_input":[],"bytes_by_input":[],"bytes_abandoned":[]}}"#;
        let Checkpoint::V1 {
            files, counters, ..
        } = serde_json::from_str(old).unwrap();
        assert_eq!(files[0].offset, 10);
        assert!(!files[0].skipping);
        assert_eq!(counters.matches[0].count, 7);
        assert!(counters.incidents.is_empty());
    }
}
