//! Opening what `scan` reads: files (gzip detected by content, whatever
//! their name) and standard input; and standard input on a thread of its
//! own for `run`.

use std::fs::File;
use std::io::{self, Read, Seek};
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::time::Duration;

use flate2::read::MultiGzDecoder;

use crate::error::InputError;

/// Where lines come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Stdin,
    File(PathBuf),
}

impl Input {
    pub fn from_arg(arg: &str) -> Input {
        if arg == "-" {
            Input::Stdin
        } else {
            Input::File(PathBuf::from(arg))
        }
    }

    pub fn name(&self) -> String {
        match self {
            Input::Stdin => "stdin".into(),
            Input::File(p) => p.display().to_string(),
        }
    }

    /// A reader of the input's bytes (decompressed), and its size on disk
    /// (0 for stdin).
    pub fn open(&self) -> Result<(Box<dyn Read>, u64), InputError> {
        match self {
            Input::Stdin => Ok((Box::new(io::stdin().lock()), 0)),
            Input::File(path) => {
                let err = |source| InputError::Open {
                    path: path.clone(),
                    source,
                };
                let mut file = File::open(path).map_err(err)?;
                let size = file.metadata().map(|m| m.len()).unwrap_or(0);
                if is_gzip(&mut file).map_err(err)? {
                    Ok((
                        Box::new(MultiGzDecoder::new(io::BufReader::new(file))),
                        size,
                    ))
                } else {
                    Ok((Box::new(file), size))
                }
            }
        }
    }
}

/// Gzip by its magic bytes (rotated logs are not always named `.gz`).
/// Leaves the file positioned at its start.
fn is_gzip(file: &mut File) -> io::Result<bool> {
    let mut magic = [0u8; 2];
    let n = file.read(&mut magic)?;
    file.seek(io::SeekFrom::Start(0))?;
    Ok(n == 2 && magic == [0x1f, 0x8b])
}

/// Bytes a stdin read asks for.
const STDIN_READ_BYTES: usize = 256 * 1024;

/// What the stdin thread hands over.
#[derive(Debug)]
pub enum StdinBlock {
    Data(Vec<u8>),
    /// Standard input ended.
    End,
    /// A read failed. Reading goes on after a pause unless `last`: after
    /// [`STDIN_MAX_FAILURES`] failures in a row nothing more will come.
    Failed {
        error: io::Error,
        last: bool,
    },
}

/// Failed stdin reads in a row before reading gives up.
pub const STDIN_MAX_FAILURES: u32 = 10;

/// Reads standard input on a thread of its own, handing blocks over a
/// bounded channel (a blocked read cannot hold up signals or shutdown)
/// and poking `wake` after each.
pub fn spawn_stdin_reader(wake: SyncSender<()>) -> Receiver<StdinBlock> {
    let (tx, rx) = mpsc::sync_channel(16);
    std::thread::spawn(move || {
        let mut stdin = io::stdin().lock();
        let mut failures = 0;
        loop {
            let mut buf = vec![0; STDIN_READ_BYTES];
            let block = match stdin.read(&mut buf) {
                Ok(0) => StdinBlock::End,
                Ok(n) => {
                    failures = 0;
                    buf.truncate(n);
                    StdinBlock::Data(buf)
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(error) => {
                    failures += 1;
                    StdinBlock::Failed {
                        error,
                        last: failures >= STDIN_MAX_FAILURES,
                    }
                }
            };
            let failed = matches!(block, StdinBlock::Failed { .. });
            let last = matches!(
                block,
                StdinBlock::End | StdinBlock::Failed { last: true, .. }
            );
            if tx.send(block).is_err() {
                return;
            }
            let _ = wake.try_send(());
            if last {
                return;
            }
            if failed {
                // A pipe or terminal may recover (EAGAIN on a descriptor
                // someone made non-blocking, EIO on a terminal being
                // reattached): a pause, longer each time, then read again.
                std::thread::sleep(Duration::from_millis(50 << failures.min(6)));
            }
        }
    });
    rx
}
