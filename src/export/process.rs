//! The process's own resident memory and CPU time, from /proc, with the
//! page size and clock tick rate the kernel reports (arm64 nodes use
//! 64 KiB pages).

/// Resident memory in bytes and CPU time (user + system) in seconds;
/// `None` where there is no /proc.
pub fn usage() -> Option<(u64, f64)> {
    let stat = procfs::process::Process::myself().ok()?.stat().ok()?;
    let rss = stat.rss * procfs::page_size();
    let cpu = (stat.utime + stat.stime) as f64 / procfs::ticks_per_second() as f64;
    Some((rss, cpu))
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_this_process() {
        let (rss, cpu) = super::usage().expect("/proc is mounted");
        assert!(rss > 1 << 20, "{rss} bytes resident");
        assert!(cpu >= 0.0);
    }
}
