// A panic while panicking (panic in Drop during unwinding) aborts the process
struct Guard;
impl Drop for Guard { fn drop(&mut self) { panic!("checkpoint flush failed during unwind"); } }
fn main() { let _g = Guard; panic!("projection handler failed"); }
