// Index out of bounds with RUST_BACKTRACE=1
fn main() { let v = vec![1, 2, 3]; let i = std::env::args().count() + 6; println!("{}", v[i]); }
