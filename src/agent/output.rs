//! The match output of run mode: a file (appended to across restarts) or
//! stdout, buffered and flushed once a pass.

use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};

use super::AgentError;
use crate::output::MatchWriter;

pub type MatchOutput = MatchWriter<BufWriter<Box<dyn Write + Send>>>;

pub fn open(path: &str) -> Result<MatchOutput, AgentError> {
    let out: Box<dyn Write + Send> = if path == "-" {
        Box::new(io::stdout())
    } else {
        let err = |source| AgentError::MatchesOut {
            path: path.to_string(),
            source,
        };
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .read(true)
            .append(true)
            .open(path)
            .map_err(err)?;
        end_torn_line(&mut file).map_err(err)?;
        Box::new(file)
    };
    Ok(MatchWriter::new(BufWriter::new(out)))
}

/// A crash can leave the match output ending in half a record: end it with
/// a newline so the records appended after a restart stay whole lines.
fn end_torn_line(file: &mut std::fs::File) -> io::Result<()> {
    let len = file.metadata()?.len();
    if len == 0 {
        return Ok(());
    }
    let mut last = [0u8; 1];
    file.seek(SeekFrom::Start(len - 1))?;
    file.read_exact(&mut last)?;
    if last[0] != b'\n' {
        file.write_all(b"\n")?;
    }
    Ok(())
}
