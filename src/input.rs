//! Opening what `scan` reads: files (gzip detected by content, whatever
//! their name) and standard input; and standard input on a thread of its
//! own for `run`.

use std::fs::File;
use std::io::{self, Read, Seek};
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, SyncSender};

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
    /// Reading failed; nothing more will come.
    Failed(io::Error),
}

/// Reads standard input on a thread of its own, handing blocks over a
/// bounded channel (a blocked read cannot hold up signals or shutdown)
/// and poking `wake` after each.
pub fn spawn_stdin_reader(wake: SyncSender<()>) -> Receiver<StdinBlock> {
    let (tx, rx) = mpsc::sync_channel(16);
    std::thread::spawn(move || {
        let mut stdin = io::stdin().lock();
        loop {
            let mut buf = vec![0; STDIN_READ_BYTES];
            let block = match stdin.read(&mut buf) {
                Ok(0) => StdinBlock::End,
                Ok(n) => {
                    buf.truncate(n);
                    StdinBlock::Data(buf)
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => StdinBlock::Failed(e),
            };
            let last = !matches!(block, StdinBlock::Data(_));
            if tx.send(block).is_err() {
                return;
            }
            let _ = wake.try_send(());
            if last {
                return;
            }
        }
    });
    rx
}
