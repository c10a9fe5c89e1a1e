//! Change notification: which files were written, and whether files were
//! created, renamed or removed, since the reader last looked.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::mpsc::SyncSender;
use std::sync::{Arc, Mutex};

/// What change notification reported since the last pass.
#[derive(Debug, Default)]
pub(super) struct Notified {
    /// Files written to (real paths).
    pub(super) written: HashSet<PathBuf>,
    /// A file was created, renamed or removed: globs need expanding.
    pub(super) paths_changed: bool,
    /// More files were written than `written` keeps: look at every file.
    pub(super) overflow: bool,
}

/// Files remembered as written between two passes; past this every file is
/// looked at.
const MAX_NOTIFIED: usize = 4096;

/// Directories watched at most; files in others are polled.
pub(super) const MAX_WATCHED_DIRS: usize = 4096;

/// A watcher that records what changed in `notified` and wakes the reader.
/// Polling stays on beside it: overlay and network filesystems drop events.
pub(super) fn watch(
    notified: Arc<Mutex<Notified>>,
    wake: SyncSender<()>,
) -> Option<notify::RecommendedWatcher> {
    notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        use notify::event::{EventKind, ModifyKind};
        let mut n = notified.lock().expect("notify lock");
        match res {
            // Our own reads raise access events: waking on those would spin.
            Ok(e) => match e.kind {
                EventKind::Create(_)
                | EventKind::Remove(_)
                | EventKind::Modify(ModifyKind::Name(_))
                | EventKind::Any => n.paths_changed = true,
                EventKind::Modify(ModifyKind::Data(_) | ModifyKind::Any) => {
                    if n.written.len() >= MAX_NOTIFIED {
                        n.overflow = true;
                    } else {
                        n.written.extend(e.paths);
                    }
                }
                _ => return,
            },
            Err(_) => {
                n.paths_changed = true;
                n.overflow = true;
            }
        }
        drop(n);
        let _ = wake.try_send(());
    })
    .ok()
}
