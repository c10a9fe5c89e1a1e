//! Discovery: which files the globs name now, which tailed paths lead
//! elsewhere (rotated or deleted), rotated files nobody saw, and where the
//! files of a checkpoint went.

use std::collections::HashMap;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use super::checkpoint::{FileId, Fingerprint};
use super::file::TailedFile;
use super::{StartAt, TailEvent, Tailer};
use crate::framing::Cursor;

/// How far the kernel's coarse ctime may lag the precise clock.
pub(super) const CTIME_SLACK: Duration = Duration::from_millis(20);

impl<T: Default> Tailer<T> {
    /// The directories that hold the inputs, for change notification.
    pub fn watch_dirs(&self) -> Vec<PathBuf> {
        let mut dirs: Vec<PathBuf> = self
            .settings
            .inputs
            .iter()
            .map(|g| {
                let g = g.as_str();
                let fixed: PathBuf = Path::new(g)
                    .components()
                    .take_while(|c| !c.as_os_str().to_string_lossy().contains(['*', '?', '[']))
                    .collect();
                if fixed.as_os_str().len() == g.len() {
                    fixed.parent().map(Path::to_path_buf).unwrap_or_default()
                } else {
                    fixed
                }
            })
            .filter(|d| d.is_dir())
            .collect();
        dirs.sort();
        dirs.dedup();
        dirs
    }

    /// Finds new, rotated and vanished files. Globs are expanded when
    /// `paths_changed` (change notification saw a file created, renamed or
    /// removed), on the first call, and otherwise every `glob_interval`.
    pub fn discover(&mut self, paths_changed: bool, events: &mut Vec<TailEvent>) {
        let first = self.last_glob.is_none();
        let due = self
            .last_glob
            .is_none_or(|t| t.elapsed() >= self.settings.glob_interval);
        if !(first || paths_changed || due) {
            return;
        }
        self.last_glob = Some(Instant::now());
        self.discovered_at = SystemTime::now();
        let mut rotated = first && self.resumed;
        // Every file the globs name now, with its identity.
        let mut named: Vec<(usize, PathBuf, FileId)> = Vec::new();
        for input in 0..self.settings.inputs.len() {
            let Ok(paths) = glob::glob(self.settings.inputs[input].as_str()) else {
                continue;
            };
            for path in paths.flatten() {
                let Ok(meta) = fs::metadata(&path) else {
                    continue;
                };
                if meta.is_file() {
                    let id = FileId {
                        dev: meta.dev(),
                        ino: meta.ino(),
                    };
                    named.push((input, path, id));
                }
            }
        }
        // A tailed path that leads to another file, or to none, was
        // rotated or deleted. Paths the globs named were just looked at;
        // only the others need a look of their own.
        let ids: HashMap<&Path, FileId> =
            named.iter().map(|(_, p, id)| (p.as_path(), *id)).collect();
        for f in self.files.iter_mut().filter(|f| f.detached.is_none()) {
            let same = match ids.get(f.path.as_path()) {
                Some(id) => *id == f.id,
                None => {
                    fs::metadata(&f.path).is_ok_and(|m| m.dev() == f.id.dev && m.ino() == f.id.ino)
                }
            };
            if !same {
                f.detached = Some(Instant::now());
                rotated = true;
                events.push(TailEvent::Rotated {
                    path: f.path.clone(),
                });
            }
        }
        drop(ids);
        for (input, path, id) in named {
            if let Some(f) = self.files.iter_mut().find(|f| f.id == id) {
                if f.detached.is_some() && f.path != path {
                    // Renamed to a name that is also tailed: keep reading it there.
                    f.real_path = fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
                    f.path = path;
                    f.detached = None;
                }
                continue;
            }
            let start = match self.take_restored(&path, id) {
                Some(c) => Some(c),
                None if first && !self.resumed && self.settings.start_at == StartAt::End => None,
                None => Some(Cursor::at(0)),
            };
            self.open(path, input, start, events);
        }
        if first {
            self.reopen_restored_elsewhere(events);
        }
        if rotated {
            self.adopt_missed_rotations(events);
        }
    }

    /// A writer may rotate faster than we look (or while the agent is
    /// down): a file can be created, written and renamed away between two
    /// passes, and no glob names it any more. After each rotation, look
    /// beside every tailed file for rotated siblings (`app.log.1`,
    /// `app.log-20261122`) that changed since `since` and that we have not
    /// read, and read them from their start. Compressed siblings are
    /// copies made later, not new lines.
    fn adopt_missed_rotations(&mut self, events: &mut Vec<TailEvent>) {
        let mut bases: Vec<PathBuf> = self.files.iter().map(|f| f.path.clone()).collect();
        for pattern in &self.settings.inputs {
            if let Ok(paths) = glob::glob(pattern.as_str()) {
                bases.extend(paths.flatten());
            }
        }
        bases.sort();
        bases.dedup();
        let since = self.since;
        let mut found: Vec<(PathBuf, usize, FileId)> = Vec::new();
        for base in &bases {
            let (Some(dir), Some(name)) =
                (base.parent(), base.file_name().and_then(|n| n.to_str()))
            else {
                continue;
            };
            let Ok(entries) = fs::read_dir(dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                let Some(other) = path.file_name().and_then(|n| n.to_str()) else {
                    continue;
                };
                let rotated_name = other.len() > name.len()
                    && other.starts_with(name)
                    && other[name.len()..].starts_with(['.', '-', '_'])
                    && ![".gz", ".bz2", ".xz", ".zst", ".zip"]
                        .iter()
                        .any(|e| other.ends_with(e));
                if !rotated_name || self.input_of(&path).is_some() {
                    continue;
                }
                let Ok(meta) = fs::metadata(&path) else {
                    continue;
                };
                let changed = std::time::UNIX_EPOCH
                    + Duration::new(meta.ctime().max(0) as u64, meta.ctime_nsec().max(0) as u32);
                let id = FileId {
                    dev: meta.dev(),
                    ino: meta.ino(),
                };
                if !meta.is_file() || changed < since || self.files.iter().any(|f| f.id == id) {
                    continue;
                }
                let Ok(fp) = fs::File::open(&path).and_then(|f| {
                    Fingerprint::of_file(&f, super::checkpoint::FINGERPRINT_BYTES as u32)
                }) else {
                    continue;
                };
                if self
                    .released
                    .iter()
                    .any(|(rid, rfp)| *rid == id && *rfp == fp)
                    || found.iter().any(|(_, _, fid)| *fid == id)
                {
                    continue;
                }
                let input = self.input_of(base).unwrap_or(0);
                found.push((path, input, id));
            }
        }
        for (path, input, _) in found {
            if self.open(path, input, Some(Cursor::at(0)), events) {
                if let Some(f) = self.files.last_mut() {
                    f.detached = Some(Instant::now());
                }
            }
        }
    }

    /// The input whose glob matches `path`.
    fn input_of(&self, path: &Path) -> Option<usize> {
        self.settings
            .inputs
            .iter()
            .position(|p| p.matches_path(path))
    }

    /// The checkpointed position of the file at `path`, if its identity and
    /// first bytes are those the checkpoint recorded (a reused inode is a
    /// new file).
    fn take_restored(&mut self, path: &Path, id: FileId) -> Option<Cursor> {
        let i = self.restored.iter().position(|c| c.id == id)?;
        let entry = self.restored.remove(i);
        let file = fs::File::open(path).ok()?;
        let now = Fingerprint::of_file(&file, entry.fingerprint.len).ok()?;
        (now == entry.fingerprint).then(|| entry.cursor())
    }

    /// Checkpointed files no glob matches any more were rotated away while
    /// the agent was down: find each by identity in its directory and read
    /// it to its end; count what cannot be found.
    fn reopen_restored_elsewhere(&mut self, events: &mut Vec<TailEvent>) {
        for entry in std::mem::take(&mut self.restored) {
            let dir = entry.path.parent().unwrap_or(Path::new("."));
            let found = fs::read_dir(dir).ok().and_then(|rd| {
                rd.flatten().map(|e| e.path()).find(|p| {
                    fs::metadata(p)
                        .is_ok_and(|m| m.dev() == entry.id.dev && m.ino() == entry.id.ino)
                        && fs::File::open(p)
                            .and_then(|f| Fingerprint::of_file(&f, entry.fingerprint.len))
                            .is_ok_and(|fp| fp == entry.fingerprint)
                })
            });
            match found {
                Some(path) => {
                    let input = self.input_of(&entry.path).unwrap_or(0);
                    if self.open(path, input, Some(entry.cursor()), events) {
                        if let Some(f) = self.files.last_mut() {
                            f.detached = Some(Instant::now());
                        }
                    }
                }
                None => {
                    let bytes = entry.size_seen.saturating_sub(entry.offset);
                    self.abandon(entry.path, bytes, "deleted_before_read", events);
                }
            }
        }
    }

    fn open(
        &mut self,
        path: PathBuf,
        input: usize,
        start: Option<Cursor>,
        events: &mut Vec<TailEvent>,
    ) -> bool {
        match TailedFile::open(path.clone(), input, start, T::default()) {
            Ok(f) => {
                events.push(TailEvent::Opened {
                    path,
                    offset: f.offset(),
                });
                self.files.push(f);
                true
            }
            Err(e) => {
                events.push(TailEvent::Error {
                    path,
                    error: e.to_string(),
                });
                false
            }
        }
    }
}
