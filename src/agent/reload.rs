//! Reloading the config and rules while the agent runs. Three triggers:
//! SIGHUP, `POST /-/reload` (with `enable_lifecycle`), and with
//! `watch_config` a change to the config file or to a rule file. The new
//! settings and rules are loaded and checked in full off the reading
//! thread; settings only a restart can change are refused; then the
//! reading thread takes them between two passes. A reload that fails
//! leaves what runs as it is, and is logged and counted.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashSet;
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::mpsc::SyncSender;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, oneshot, watch};
use tokio_util::sync::CancellationToken;

use crate::config::{RawConfig, RunSettings, Values};
use crate::export::prometheus::ReloadMetrics;
use crate::matcher::Matcher;
use crate::rules::RuleSet;

/// Where the settings come from: the config file and the flags (the
/// variables are read again at each load).
#[derive(Debug, Clone)]
pub struct ConfigSource {
    pub path: Option<PathBuf>,
    pub flags: RawConfig,
}

impl ConfigSource {
    /// The settings and the rules they name, loaded and checked in full.
    pub fn load(&self) -> Result<(RunSettings, Matcher), String> {
        let settings = RunSettings::resolve(self.path.as_deref(), self.flags.clone())
            .map_err(|e| e.to_string())?;
        let (rules, warnings) =
            RuleSet::load(!settings.values.no_default_rules, &settings.values.patterns)
                .and_then(|(rules, warnings)| rules.compile_added().map(|()| (rules, warnings)))
                .map_err(|e| e.to_string())?;
        for w in warnings {
            tracing::warn!(warning = %w, "rules");
        }
        Ok((settings, Matcher::new(rules)))
    }

    /// A fingerprint of the config file's and the rule files' contents:
    /// what a change notification must have changed for a reload.
    fn fingerprint(&self, patterns: &[PathBuf]) -> u64 {
        let mut hasher = DefaultHasher::new();
        let mut files: Vec<PathBuf> = self.path.iter().cloned().collect();
        for p in patterns {
            if p.is_dir() {
                if let Ok(entries) = std::fs::read_dir(p) {
                    files.extend(entries.flatten().map(|e| e.path()));
                }
            } else {
                files.push(p.clone());
            }
        }
        files.sort();
        for f in files {
            f.hash(&mut hasher);
            std::fs::read(&f).ok().hash(&mut hasher);
        }
        hasher.finish()
    }
}

/// New settings and rules for the reading thread, and where it says
/// whether it took them.
pub struct Reload {
    pub settings: RunSettings,
    pub matcher: Matcher,
    pub reply: oneshot::Sender<Result<(), String>>,
}

/// What asked for a reload.
#[derive(Debug)]
pub enum Trigger {
    Signal,
    /// `POST /-/reload`, which answers with the outcome.
    Http(oneshot::Sender<Result<(), String>>),
    /// A watched file changed.
    Watch,
}

impl Trigger {
    fn as_str(&self) -> &'static str {
        match self {
            Trigger::Signal => "SIGHUP",
            Trigger::Http(_) => "POST /-/reload",
            Trigger::Watch => "a changed file",
        }
    }
}

/// Carries out reloads as they are asked, one at a time, until
/// `shutdown`; tells `patterns` the rule paths a reload took.
#[allow(clippy::too_many_arguments)]
pub async fn coordinate(
    source: Arc<ConfigSource>,
    mut running: Values,
    mut triggers: mpsc::Receiver<Trigger>,
    to_reader: std::sync::mpsc::Sender<Reload>,
    wake: SyncSender<()>,
    metrics: ReloadMetrics,
    patterns: watch::Sender<Vec<PathBuf>>,
    shutdown: CancellationToken,
) {
    loop {
        let trigger = tokio::select! {
            _ = shutdown.cancelled() => return,
            trigger = triggers.recv() => match trigger {
                Some(t) => t,
                None => return,
            },
        };
        let cause = trigger.as_str();
        let result = reload_once(&source, &mut running, &to_reader, &wake).await;
        metrics.tried(result.is_ok());
        if result.is_ok() {
            patterns.send_if_modified(|watched| {
                let changed = *watched != running.patterns;
                if changed {
                    watched.clone_from(&running.patterns);
                }
                changed
            });
        }
        match &result {
            Ok(()) => tracing::info!(trigger = cause, "reloaded the config and rules"),
            Err(e) => tracing::error!(
                trigger = cause,
                error = %e,
                "reload failed; the running config and rules stay"
            ),
        }
        if let Trigger::Http(reply) = trigger {
            let _ = reply.send(result);
        }
    }
}

async fn reload_once(
    source: &Arc<ConfigSource>,
    running: &mut Values,
    to_reader: &std::sync::mpsc::Sender<Reload>,
    wake: &SyncSender<()>,
) -> Result<(), String> {
    let loading = source.clone();
    let (settings, matcher) = tokio::task::spawn_blocking(move || loading.load())
        .await
        .map_err(|e| format!("loading the config failed: {e}"))??;
    let changed = settings.values.restart_only_changes(running);
    if !changed.is_empty() {
        return Err(format!(
            "{} cannot change while tailwatch runs: restart it to apply the new value",
            changed.join(", ")
        ));
    }
    let values = settings.values.clone();
    let (reply, taken) = oneshot::channel();
    to_reader
        .send(Reload {
            settings,
            matcher,
            reply,
        })
        .map_err(|_| "the agent is stopping".to_string())?;
    let _ = wake.try_send(());
    taken
        .await
        .map_err(|_| "the agent is stopping".to_string())??;
    *running = values;
    Ok(())
}

/// How long change notifications are let settle before the files are
/// compared: editors and ConfigMap updates write in several steps.
const SETTLE: Duration = Duration::from_millis(500);

/// With `watch_config`: asks for a reload when the config file or a rule
/// file under `patterns` changes. The directories are watched rather than
/// the files, since a ConfigMap volume swaps a symlink to update its
/// files; a reload is asked only when their contents differ from the last
/// look. `patterns` follows reloads: a rule directory a reload added is
/// watched from then on.
pub async fn watch_files(
    source: Arc<ConfigSource>,
    mut patterns: watch::Receiver<Vec<PathBuf>>,
    triggers: mpsc::Sender<Trigger>,
    shutdown: CancellationToken,
) {
    use notify::{RecursiveMode, Watcher};
    let (changed_tx, mut changed) = mpsc::channel::<()>(1);
    let watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if event.is_ok_and(|e| !e.kind.is_access()) {
            let _ = changed_tx.try_send(());
        }
    });
    let mut watcher = match watcher {
        Ok(w) => w,
        Err(e) => {
            tracing::error!(error = %e, "cannot watch the config: watch_config is off");
            return;
        }
    };
    let mut watched = HashSet::new();
    let mut watch_dirs = |patterns: &[PathBuf]| {
        for dir in dirs_to_watch(&source, patterns) {
            if !watched.contains(&dir) {
                if let Err(e) = watcher.watch(&dir, RecursiveMode::NonRecursive) {
                    tracing::error!(path = %dir.display(), error = %e, "cannot watch for config changes");
                }
                watched.insert(dir);
            }
        }
    };
    let mut current = patterns.borrow_and_update().clone();
    watch_dirs(&current);
    let mut seen = source.fingerprint(&current);
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => return,
            event = changed.recv() => if event.is_none() { return },
            update = patterns.changed() => {
                if update.is_err() {
                    return;
                }
                // A reload took these paths: watch what is new. What they
                // hold is compared with what was seen before, so a change
                // made since the reload read them is not missed (the cost:
                // one more reload when the list of paths changes).
                current = patterns.borrow_and_update().clone();
                watch_dirs(&current);
            }
        }
        tokio::time::sleep(SETTLE).await;
        while changed.try_recv().is_ok() {}
        let now = source.fingerprint(&current);
        if now != seen {
            seen = now;
            let _ = triggers.send(Trigger::Watch).await;
        }
    }
}

/// The directories that hold the config file and the rule files.
fn dirs_to_watch(source: &ConfigSource, patterns: &[PathBuf]) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = source
        .path
        .iter()
        .chain(patterns)
        .filter_map(|p| {
            if p.is_dir() {
                Some(p.as_path())
            } else {
                p.parent()
            }
        })
        .map(|d| {
            if d.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                d.to_path_buf()
            }
        })
        .collect();
    dirs.sort();
    dirs.dedup();
    dirs
}
