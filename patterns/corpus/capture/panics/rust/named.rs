// Panic on a named worker thread (expect with a message); main joins and exits 101
fn main() {
    let h = std::thread::Builder::new().name("projector".into()).spawn(|| {
        let v: Result<u32, String> = Err("connection refused".into());
        v.expect("failed to read stream position")
    }).unwrap();
    let _ = h.join();
    std::process::exit(101);
}
