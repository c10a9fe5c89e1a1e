// Panic on the main thread: rustc -O unwrap.rs && ./unwrap
use std::collections::HashMap;
fn main() {
    let checkpoints: HashMap<&str, u64> = HashMap::new();
    let pos = checkpoints.get("orders").copied();
    println!("{}", pos.unwrap());
}
