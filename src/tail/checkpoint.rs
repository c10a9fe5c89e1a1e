//! What a checkpoint records of a tailed file: its identity (device,
//! inode, and a fingerprint of its first bytes) and where it was read to.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// A file's device and inode. With its [`Fingerprint`] it is the file's
/// identity: a reused inode is not mistaken for the file that had it
/// before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FileId {
    pub dev: u64,
    pub ino: u64,
}

/// The identity of a finished entry that stands for a file's content
/// before copytruncate truncated it: its copy has another inode, and is
/// known by its first bytes only.
pub const COPIED: FileId = FileId { dev: 0, ino: 0 };

/// Leading bytes a fingerprint covers at most.
pub const FINGERPRINT_BYTES: usize = 256;

/// A hash of a file's first bytes: FNV-1a over at most
/// `FINGERPRINT_BYTES`. Written out because the value is persisted and must
/// not change with a crate or compiler version (std's hasher makes no such
/// promise).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Fingerprint {
    /// How many leading bytes were hashed (fewer while the file is small).
    pub len: u32,
    pub hash: u64,
}

impl Fingerprint {
    pub fn of(bytes: &[u8]) -> Fingerprint {
        let bytes = &bytes[..bytes.len().min(FINGERPRINT_BYTES)];
        let mut hash = 0xcbf2_9ce4_8422_2325u64;
        for &b in bytes {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        Fingerprint {
            len: bytes.len() as u32,
            hash,
        }
    }
}

/// One file's reading position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileCheckpoint {
    pub path: PathBuf,
    pub id: FileId,
    pub fingerprint: Fingerprint,
    /// Bytes fully processed: the start of the first line not yet read.
    pub offset: u64,
    /// The file's size when last seen, to count what is given up if the
    /// file disappears before it is read.
    pub size_seen: u64,
    /// Reading was skipping the rest of an oversized line at `offset`.
    #[serde(default)]
    pub skipping: bool,
    /// Where the file really is, symlinks resolved (`/var/log/pods/...`
    /// behind `/var/log/containers/...`), when that differs from `path`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub real_path: Option<PathBuf>,
}

impl FileCheckpoint {
    /// Where framing resumes in the file.
    pub fn cursor(&self) -> crate::framing::Cursor {
        if self.skipping {
            crate::framing::Cursor::skipping_at(self.offset)
        } else {
            crate::framing::Cursor::at(self.offset)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_only_the_leading_bytes() {
        let long = vec![b'x'; 1000];
        assert_eq!(
            Fingerprint::of(&long),
            Fingerprint::of(&long[..FINGERPRINT_BYTES])
        );
        assert_ne!(Fingerprint::of(b"a"), Fingerprint::of(b"b"));
    }
}
