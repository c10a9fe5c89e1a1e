//! Discovery: which files the globs name now, which tailed paths lead
//! elsewhere (rotated or deleted), rotated files nobody saw, and where the
//! files of a checkpoint went.

use std::collections::HashMap;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::checkpoint::{FileCheckpoint, FileId, Fingerprint, COPIED, FINGERPRINT_BYTES};
use super::file::TailedFile;
use super::{StartAt, TailEvent, Tailer, FINISHED_MEMORY};
use crate::framing::Cursor;

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
        if !(first || paths_changed || due || self.look_for_copies) {
            return;
        }
        self.last_glob = Some(Instant::now());
        let mut rotated = false;
        // Every file the globs name now, with its identity.
        let mut named: Vec<(usize, PathBuf, FileId)> = Vec::new();
        for input in 0..self.settings.inputs.len() {
            let Ok(paths) = glob::glob(self.settings.inputs[input].as_str()) else {
                continue;
            };
            for path in paths {
                let path = match path {
                    Ok(path) => path,
                    // A directory on the way that cannot be listed (its
                    // permissions): what lies under it goes unseen.
                    Err(e) => {
                        events.push(TailEvent::Error {
                            path: e.path().to_path_buf(),
                            input,
                            operation: "list",
                            error: e.error().to_string(),
                        });
                        continue;
                    }
                };
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
            let start = match self
                .restored_start(&path, id)
                .or_else(|| self.finished_start(&path, id))
            {
                Some(c) => Some(c),
                None if first && !self.resumed && self.settings.start_at == StartAt::End => None,
                None => Some(Cursor::at(0)),
            };
            // A file that appeared while we watched may have been rotated
            // before we saw it: its siblings need a look too.
            rotated |= self.open(path, None, id, input, start, events) && !first;
        }
        if first {
            self.reopen_restored_elsewhere(events);
        }
        if first || rotated || std::mem::take(&mut self.look_for_copies) {
            let history = self.finished.is_none();
            self.scan_rotated_siblings(history, events);
        }
    }

    /// A writer may rotate faster than we look (or while the agent is
    /// down): a file can be created, written and renamed away between two
    /// passes, and no glob names it any more. Looks beside every tailed
    /// file (by its name and by its real path) for rotated siblings
    /// (`app.log.1`, `app.log-20261122`, `0.log.20261122-101010`) and reads
    /// from its start each one that is neither open nor finished. Whether a
    /// sibling was read is decided by identity (device, inode, first
    /// bytes), never by timestamps: a numbered shift (`app.log.1` →
    /// `app.log.2`) renames, which changes ctime but not what was read. A
    /// sibling whose first bytes are those of a file already known under
    /// another inode is a copy (copytruncate), not new lines. Compressed
    /// siblings are copies made later, and are never read.
    ///
    /// With `history` (a first start, or a checkpoint that did not keep
    /// finished files), the siblings found are taken as read: they were
    /// there before tailing began.
    fn scan_rotated_siblings(&mut self, history: bool, events: &mut Vec<TailEvent>) {
        let mut bases: Vec<PathBuf> = self
            .files
            .iter()
            .flat_map(|f| [f.path.clone(), f.real_path.clone()])
            .collect();
        for pattern in &self.settings.inputs {
            if let Ok(paths) = glob::glob(pattern.as_str()) {
                bases.extend(paths.flatten());
            }
        }
        bases.sort();
        bases.dedup();
        // A file truncated since it was last read is noted first, so that
        // its copy is known as one.
        for i in 0..self.files.len() {
            if self.files[i].detached.is_none() {
                if let Ok((_, _, Some(before))) = self.files[i].look(self.held) {
                    let path = self.files[i].path.clone();
                    self.truncated(path, before);
                }
            }
        }
        let mut finished = self.finished.take().unwrap_or_default();
        let mut listed: Vec<&Path> = Vec::new();
        let mut present = vec![false; finished.len()];
        // Files to read: path, input, identity, where to start.
        let mut found: Vec<(PathBuf, fs::File, usize, FileId, u64)> = Vec::new();
        for base in &bases {
            let (Some(dir), Some(name)) =
                (base.parent(), base.file_name().and_then(|n| n.to_str()))
            else {
                continue;
            };
            let Ok(entries) = fs::read_dir(dir) else {
                continue;
            };
            listed.push(dir);
            for entry in entries.flatten() {
                let path = entry.path();
                let Some(other) = path.file_name().and_then(|n| n.to_str()) else {
                    continue;
                };
                if !is_sibling(name, other) || self.input_of(&path).is_some() {
                    continue;
                }
                // Identity and first bytes from one open file: the name may
                // lead elsewhere a moment later (a shift in progress).
                let Ok(file) = fs::File::open(&path) else {
                    continue;
                };
                let Ok(meta) = file.metadata() else {
                    continue;
                };
                let id = FileId {
                    dev: meta.dev(),
                    ino: meta.ino(),
                };
                if !meta.is_file()
                    || self.files.iter().any(|f| f.id == id)
                    || found.iter().any(|(_, _, _, fid, _)| *fid == id)
                {
                    continue;
                }
                let Ok(head) = Head::read(&file) else {
                    continue;
                };
                let fingerprint_at = |len: u32| head.fingerprint(len);
                // A finished file, by identity and first bytes. One let go
                // while empty has no first bytes to tell it from a new file
                // on its reused inode: that is read.
                if let Some(k) = finished.iter().position(|f| {
                    f.id == id
                        && f.fingerprint.len > 0
                        && fingerprint_at(f.fingerprint.len) == f.fingerprint
                }) {
                    present[k] = true;
                    let entry = &mut finished[k];
                    entry.path.clone_from(&path);
                    if meta.len() > entry.offset {
                        // Written to after it was let go.
                        let late = meta.len() - entry.offset;
                        entry.offset = meta.len();
                        entry.size_seen = meta.len();
                        let path = path.clone();
                        self.abandon(path, late, "written_after_release", events);
                    }
                    continue;
                }
                // The copy of a file truncated in place: read on from where
                // that file was read to.
                if let Some(k) = finished.iter().position(|f| {
                    f.id == COPIED
                        && f.fingerprint.len > 0
                        && fingerprint_at(f.fingerprint.len) == f.fingerprint
                }) {
                    let from = finished[k].offset.min(meta.len());
                    finished.remove(k);
                    present.remove(k);
                    found.push((path, file, self.input_of(base).unwrap_or(0), id, from));
                    continue;
                }
                let fingerprint = fingerprint_at(FINGERPRINT_BYTES as u32);
                // A copy of a file being read (copytruncate's, before the
                // truncation is seen): left alone. If the file is then
                // truncated, the copy is read from where it was read to;
                // if not, its lines are the file's.
                if !history && self.files.iter().any(|f| f.starts_with(head.bytes())) {
                    continue;
                }
                // A copy of a finished file holds nothing new.
                let copy = fingerprint.len == FINGERPRINT_BYTES as u32
                    && finished.iter().any(|f| f.fingerprint == fingerprint);
                if history || copy {
                    finished.push_back(FileCheckpoint {
                        path: path.clone(),
                        id,
                        fingerprint,
                        offset: meta.len(),
                        size_seen: meta.len(),
                        skipping: false,
                        real_path: None,
                    });
                    present.push(true);
                    continue;
                }
                let input = self.input_of(base).unwrap_or(0);
                found.push((path, file, input, id, 0));
            }
        }
        // Finished files no longer in their directory were deleted (or
        // compressed away): nothing can read them again. A truncated file
        // whose copy is not there lost what was not read of it. A writer
        // shifting numbered files while the directory is listed can hide a
        // file from a listing (its old name already taken by another, its
        // new one not listed), so an entry goes only after listings missed
        // it `MISSES_TO_FORGET` times in a row over `FORGET_AFTER`;
        // forgetting a file that is still there would read it again.
        let mut keep = present.into_iter();
        let mut lost = Vec::new();
        let misses = &mut self.misses;
        finished.retain(|f| {
            let key = (f.id, f.fingerprint);
            let seen = keep.next().unwrap_or(true);
            if seen || !f.path.parent().is_some_and(|d| listed.contains(&d)) {
                if seen {
                    misses.remove(&key);
                }
                return true;
            }
            let (missed, since) = misses.entry(key).or_insert((0, Instant::now()));
            *missed = missed.saturating_add(1);
            if *missed < MISSES_TO_FORGET || since.elapsed() < FORGET_AFTER {
                return true;
            }
            misses.remove(&key);
            if f.id == COPIED {
                lost.push((f.path.clone(), f.size_seen.saturating_sub(f.offset)));
            }
            false
        });
        misses.retain(|key, _| finished.iter().any(|f| (f.id, f.fingerprint) == *key));
        for (path, bytes) in lost {
            self.abandon(path, bytes, "truncated", events);
        }
        while finished.len() > FINISHED_MEMORY {
            finished.pop_front();
        }
        self.finished = Some(finished);
        for (path, file, input, id, from) in found {
            if self.open(path, Some(file), id, input, Some(Cursor::at(from)), events) {
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
    /// new file). The entry stays until the file is open (see
    /// [`forget_known`](Self::forget_known)).
    fn restored_start(&mut self, path: &Path, id: FileId) -> Option<Cursor> {
        let i = self.restored.iter().position(|c| c.id == id)?;
        let file = fs::File::open(path).ok()?;
        let now = Fingerprint::of_file(&file, self.restored[i].fingerprint.len).ok()?;
        if now == self.restored[i].fingerprint {
            return Some(self.restored[i].cursor());
        }
        // Rewritten while the agent was down (copytruncate): what was read
        // of it may live on in a copy.
        let entry = self.restored.remove(i);
        self.remember_finished(FileCheckpoint {
            id: super::checkpoint::COPIED,
            ..entry
        });
        None
    }

    /// Where a finished file now named by a glob was read to (a finished
    /// file is known by its identity and first bytes, whatever its name).
    /// The entry stays until the file is open.
    fn finished_start(&self, path: &Path, id: FileId) -> Option<Cursor> {
        let entry = self
            .finished
            .as_ref()?
            .iter()
            .find(|f| f.id == id && f.fingerprint.len > 0)?;
        let file = fs::File::open(path).ok()?;
        let now = Fingerprint::of_file(&file, entry.fingerprint.len).ok()?;
        (now == entry.fingerprint).then(|| Cursor::at(entry.offset))
    }

    /// The file `id` is open: what the checkpoint and the finished list
    /// knew of it is in its `TailedFile` now. Removed only then, so that a
    /// file whose name led elsewhere by the time it was opened is still
    /// known at the next look.
    fn forget_known(&mut self, id: FileId) {
        self.restored.retain(|c| c.id != id);
        if let Some(finished) = self.finished.as_mut() {
            finished.retain(|f| f.id != id);
        }
    }

    /// Checkpointed files no glob matches any more were rotated away while
    /// the agent was down: find each by identity in its directory and read
    /// it to its end; count what cannot be found.
    fn reopen_restored_elsewhere(&mut self, events: &mut Vec<TailEvent>) {
        for entry in std::mem::take(&mut self.restored) {
            let is_entry = |p: &Path| {
                fs::metadata(p).is_ok_and(|m| m.dev() == entry.id.dev && m.ino() == entry.id.ino)
                    && fs::File::open(p)
                        .and_then(|f| Fingerprint::of_file(&f, entry.fingerprint.len))
                        .is_ok_and(|fp| fp == entry.fingerprint)
            };
            // Where it really was (behind a swapped symlink), then beside
            // the real path and the tailed path (renamed).
            let dirs = [entry.real_path.as_deref(), Some(entry.path.as_path())];
            let found = entry.real_path.clone().filter(|p| is_entry(p)).or_else(|| {
                dirs.iter().flatten().find_map(|p| {
                    let dir = p.parent().unwrap_or(Path::new("."));
                    fs::read_dir(dir)
                        .ok()?
                        .flatten()
                        .map(|e| e.path())
                        .find(|p| is_entry(p))
                })
            });
            match found {
                Some(path) => {
                    let input = self.input_of(&entry.path).unwrap_or(0);
                    if self.open(path, None, entry.id, input, Some(entry.cursor()), events) {
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

    /// Opens the file `id` at `path` (`file`, when it is open already). A
    /// path that leads to another file by the time it is opened (renamed
    /// in between) is left for the next discovery: the decision where to
    /// start was made for `id`.
    fn open(
        &mut self,
        path: PathBuf,
        file: Option<fs::File>,
        id: FileId,
        input: usize,
        start: Option<Cursor>,
        events: &mut Vec<TailEvent>,
    ) -> bool {
        let opened = match file {
            Some(file) => Ok(file),
            None => fs::File::open(&path),
        };
        let same = |f: &fs::File| {
            f.metadata()
                .is_ok_and(|m| m.dev() == id.dev && m.ino() == id.ino)
        };
        let opened = match opened {
            Ok(file) if !same(&file) => return false,
            opened => opened,
        };
        match opened
            .and_then(|file| TailedFile::open(path.clone(), file, input, start, T::default()))
        {
            Ok(f) => {
                self.forget_known(id);
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
                    input,
                    operation: "open",
                    error: e.to_string(),
                });
                false
            }
        }
    }
}

/// Listings in a row that must miss a finished file, and for how long,
/// before it is forgotten.
const MISSES_TO_FORGET: u8 = 3;
const FORGET_AFTER: std::time::Duration = std::time::Duration::from_secs(600);

/// Whether `other` is a rotated name of the log `name`, or, for a
/// container's log in its pod directory (`0.log`, `1.log` after a
/// restart), another of that container's logs or their rotations.
fn is_sibling(name: &str, other: &str) -> bool {
    let container_log = |n: &str| {
        n.strip_suffix(".log")
            .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
    };
    is_rotated_name(name, other)
        || (container_log(name)
            && other != name
            && (container_log(other)
                || other.split_once(".log").is_some_and(|(n, _)| {
                    container_log(&format!("{n}.log"))
                        && is_rotated_name(&format!("{n}.log"), other)
                })))
}

/// Whether `other` is a rotated name of the log `name`: the name followed
/// by `.`, `-` or `_` and a suffix (`app.log.1`, `app.log-20261122`), not
/// compressed.
fn is_rotated_name(name: &str, other: &str) -> bool {
    other.len() > name.len()
        && other.starts_with(name)
        && other[name.len()..].starts_with(['.', '-', '_'])
        && ![".gz", ".bz2", ".xz", ".zst", ".zip"]
            .iter()
            .any(|e| other.ends_with(e))
}

/// A file's first bytes, read once and fingerprinted at any length.
struct Head {
    bytes: [u8; FINGERPRINT_BYTES],
    len: usize,
}

impl Head {
    fn read(file: &fs::File) -> std::io::Result<Head> {
        let mut bytes = [0; FINGERPRINT_BYTES];
        let len = super::file::read_head(file, &mut bytes)?;
        Ok(Head { bytes, len })
    }

    fn bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }

    /// The fingerprint of the first `len` bytes (fewer if the file is
    /// shorter, as `Fingerprint::of_file` gives it).
    fn fingerprint(&self, len: u32) -> Fingerprint {
        Fingerprint::of(&self.bytes[..(len as usize).min(self.len)])
    }
}
