//! Bad input is counted by kind and never stops the scan: the trouble line
//! after each bad line is still found.

use crate::util::{count, run, scan_json};

const TROUBLE: &str = r#"{"level":"error","msg":"deadlock detected"}"#;

fn errors(report: &serde_json::Value, kind: &str) -> u64 {
    report["totals"]["decode_errors"][kind].as_u64().unwrap()
}

#[test]
fn invalid_utf8_is_counted_and_the_line_still_matched() {
    let mut input = b"{\"level\":\"error\",\"msg\":\"deadlock detected \xff\xfe\"}\n".to_vec();
    input.extend_from_slice(format!("{TROUBLE}\n").as_bytes());
    let report = scan_json(&input, &[]);
    assert_eq!(errors(&report, "invalid_utf8"), 1);
    assert_eq!(count(&report, "deadlock_detected"), 2);
}

#[test]
fn nul_bytes_are_counted() {
    let input = format!("{{\"msg\":\"x\0y\"}}\n\0\0\n{TROUBLE}\n");
    let report = scan_json(input.as_bytes(), &[]);
    assert_eq!(errors(&report, "nul_bytes"), 2);
    assert_eq!(count(&report, "deadlock_detected"), 1);
}

#[test]
fn truncated_and_invalid_json_are_counted_and_read_as_text() {
    let input = format!(
        "{{\"level\":\"error\",\"msg\":\"deadlock detec\n{{\"level\":\"error\",\"msg\":\"deadlock detected\",}}\n{TROUBLE}\n"
    );
    let report = scan_json(input.as_bytes(), &[]);
    assert_eq!(errors(&report, "truncated_json"), 1);
    assert_eq!(errors(&report, "invalid_json"), 1);
    // The invalid (but complete) line still carries the words as text.
    assert_eq!(count(&report, "deadlock_detected"), 2);
}

#[test]
fn oversized_lines_are_cut_counted_and_skipped_to_the_next_line() {
    let long = format!("{{\"msg\":\"{}\"}}", "x".repeat(5000));
    let input = format!("{long}\n{TROUBLE}\n{long}{TROUBLE}\n{TROUBLE}\n");
    let report = scan_json(input.as_bytes(), &["--max-line-bytes", "1024"]);
    assert_eq!(errors(&report, "oversized"), 2);
    // The trouble text past the cap on the third line is skipped with it.
    assert_eq!(count(&report, "deadlock_detected"), 2);
}

#[test]
fn an_unterminated_last_line_is_read() {
    let report = scan_json(TROUBLE.as_bytes(), &[]);
    assert_eq!(count(&report, "deadlock_detected"), 1);
    assert_eq!(report["totals"]["lines"], 1);
}

#[test]
fn random_bytes_never_crash_the_scan() {
    let mut state = 0x2545F4914F6CDD1Du64;
    let mut junk = Vec::with_capacity(1 << 20);
    while junk.len() < 1 << 20 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        junk.extend_from_slice(&state.to_le_bytes());
    }
    junk.extend_from_slice(format!("\n{TROUBLE}\n").as_bytes());
    let out = run(&["scan", "--format", "json"], &junk);
    assert!(out.status.success());
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(count(&report, "deadlock_detected"), 1);
}
