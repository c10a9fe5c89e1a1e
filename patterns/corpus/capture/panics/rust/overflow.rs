// Unbounded recursion overflows the main thread's stack
fn depth(n: u64) -> u64 { let buf = [n; 64]; if n == u64::MAX { 0 } else { depth(n + 1) + buf[(n % 64) as usize] } }
fn main() { println!("{}", depth(0)); }
