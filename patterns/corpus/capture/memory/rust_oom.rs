// rustc -O rust_oom.rs && (ulimit -v 400000; ./rust_oom): std's default alloc error hook.
fn main() {
    let mut keep: Vec<Vec<u8>> = Vec::new();
    let big: Vec<u8> = Vec::with_capacity(1 << 30); // 1 GiB in one request
    keep.push(big);
}
