//! How rare a string of bytes is in routine log text, from how often each
//! byte occurs and each byte follows another there (a first-order Markov
//! model, ASCII-lowercased). The table, `pair_costs.bin`, is measured by
//! `examples/pair_frequencies.rs` from text the repository ships; its
//! entries are costs in eighths of a bit (`-8 log2 p`).

static TABLE: &[u8; 256 + 65536] = include_bytes!("pair_costs.bin");

/// How surprising `bytes` (lowercased) are in routine text, in eighths of
/// a bit: the higher, the rarer. Longer strings are rarer.
pub fn surprise(bytes: &[u8]) -> u32 {
    let Some(&first) = bytes.first() else {
        return 0;
    };
    u32::from(TABLE[first as usize])
        + bytes
            .windows(2)
            .map(|w| u32::from(pair_cost(w[0], w[1])))
            .sum::<u32>()
}

fn pair_cost(x: u8, y: u8) -> u8 {
    TABLE[256 + ((x as usize) << 8 | y as usize)]
}

/// The chance that a position of routine text starts with `x` then `y`
/// (lowercased).
pub fn pair_probability(x: u8, y: u8) -> f64 {
    let bits = f64::from(TABLE[x as usize]) + f64::from(pair_cost(x, y));
    (-bits / 8.0).exp2()
}

/// The chance that a position of routine text starts with `bytes`
/// (lowercased).
pub fn probability(bytes: &[u8]) -> f64 {
    (-f64::from(surprise(bytes)) / 8.0).exp2()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_routine_logs_are_full_of_are_less_surprising_than_trouble() {
        assert!(surprise(b"error") < surprise(b"deadlock"));
        assert!(surprise(b"the") < surprise(b"sqlstate"));
        assert!(surprise(b"timeout") < surprise(b"timeout exceeded"));
        assert!(probability(b"info") > probability(b"outofmemory"));
    }
}
