//! The words that say what went wrong in a record that holds a traceback
//! or an exception chain: what reports, the live view and spans show
//! instead of `Traceback (most recent call last):` or a wall of frames.

use std::borrow::Cow;

/// The exception line(s) of `text`:
/// - a Python traceback: the lines before it (a logger's message), then
///   the exception line of the last traceback (with chained exceptions,
///   the one finally raised): the first unindented line after its frames,
///   not the lines a multi-line message goes on with (SQLAlchemy's
///   `[SQL: ...]` and `(Background on this error at: ...)`, a database's
///   `DETAIL:`);
/// - a JVM, .NET or Node trace: its first line and every `Caused by:`
///   line, without the frames (`\tat ...`, `   at ...`, `... 12 more`);
/// - a Go panic or fatal error: up to the goroutine dump.
///
/// Other text is returned as it is.
pub fn headline(text: &str) -> Cow<'_, str> {
    const HEADER: &str = "Traceback (most recent call last):";
    if let Some(first) = text.find(HEADER) {
        let before = text[..first].lines().find(|l| !l.trim().is_empty());
        let last = text.rfind(HEADER).unwrap_or(first);
        let raised = text[last + HEADER.len()..]
            .lines()
            .find(|l| !l.trim().is_empty() && !l.starts_with(char::is_whitespace));
        if let Some(raised) = raised {
            return Cow::Owned(match before {
                Some(b) => format!("{}\n{raised}", b.trim_end()),
                None => raised.to_string(),
            });
        }
        return Cow::Borrowed(text);
    }
    if text.starts_with("panic: ") || text.starts_with("fatal error: ") {
        if let Some(dump) = text.find("\ngoroutine ") {
            return Cow::Borrowed(text[..dump].trim_end());
        }
        return Cow::Borrowed(text);
    }
    if !text.lines().any(is_frame) {
        return Cow::Borrowed(text);
    }
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| !is_frame(l) && !l.trim().is_empty())
        .collect();
    Cow::Owned(kept.join("\n"))
}

/// A stack frame of the JVM (`\tat a.B.c(B.java:1)`, `\t... 12 more`),
/// .NET (`   at A.B.C() in /src/B.cs:line 1`, `--- End of stack trace`)
/// or Node (`    at f (file.js:1:2)`).
fn is_frame(line: &str) -> bool {
    let t = line.trim_start();
    let indented = t.len() < line.len();
    (indented && (t.starts_with("at ") || (t.starts_with("... ") && t.ends_with(" more"))))
        || t.starts_with("--- End of ")
}

/// `text` cut to at most `max` bytes by leaving out its middle: the
/// start says what was thrown, the end where (a trace's innermost cause).
pub fn cut_middle(text: &str, max: usize) -> Cow<'_, str> {
    if text.len() <= max {
        return Cow::Borrowed(text);
    }
    const GAP: &str = "\n…\n";
    let half = max.saturating_sub(GAP.len()) / 2;
    let mut head = half;
    while !text.is_char_boundary(head) {
        head -= 1;
    }
    let mut tail = text.len() - half;
    while !text.is_char_boundary(tail) {
        tail += 1;
    }
    Cow::Owned(format!("{}{GAP}{}", &text[..head], &text[tail..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_python_traceback_shows_the_exception_raised() {
        let exc_info = "Traceback (most recent call last):\n  File \"/app/db.py\", line 12, in checkout\n    conn = engine.connect()\n  File \"/usr/lib/python3/dist-packages/sqlalchemy/pool/impl.py\", line 164, in _do_get\n    raise exc.TimeoutError(\nsqlalchemy.exc.TimeoutError: QueuePool limit of size 5 overflow 10 reached, connection timed out, timeout 30.00 (Background on this error at: https://sqlalche.me/e/20/3o7r)";
        assert_eq!(
            headline(exc_info),
            "sqlalchemy.exc.TimeoutError: QueuePool limit of size 5 overflow 10 reached, connection timed out, timeout 30.00 (Background on this error at: https://sqlalche.me/e/20/3o7r)"
        );
        let chained = "checkout failed\nTraceback (most recent call last):\n  File \"a.py\", line 1, in f\n    g()\nKeyError: 'x'\n\nDuring handling of the above exception, another exception occurred:\n\nTraceback (most recent call last):\n  File \"a.py\", line 3, in f\n    raise RuntimeError('pool exhausted')\nRuntimeError: pool exhausted";
        assert_eq!(
            headline(chained),
            "checkout failed\nRuntimeError: pool exhausted"
        );
        // SQLAlchemy goes on after the exception line with the database's
        // detail, the statement and a link.
        let sqlalchemy = "Traceback (most recent call last):\n  File \"/app/transfer.py\", line 40, in run\n    session.commit()\nsqlalchemy.exc.OperationalError: (psycopg2.errors.DeadlockDetected) deadlock detected\nDETAIL:  Process 17829 waits for ShareLock on transaction 742; blocked by process 17830.\nHINT:  See server log for query details.\n\n[SQL: UPDATE acc SET bal=bal+1 WHERE id=2]\n(Background on this error at: https://sqlalche.me/e/14/e3q8)";
        assert_eq!(
            headline(sqlalchemy),
            "sqlalchemy.exc.OperationalError: (psycopg2.errors.DeadlockDetected) deadlock detected"
        );
    }

    #[test]
    fn a_jvm_trace_shows_its_first_line_and_causes() {
        let trace = "org.springframework.dao.DataAccessResourceFailureException: could not acquire connection\n\tat org.springframework.orm.jpa.vendor.HibernateJpaDialect.convert(HibernateJpaDialect.java:277)\n\tat com.example.App.main(App.java:10)\nCaused by: java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms.\n\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:696)\n\t... 12 more";
        assert_eq!(
            headline(trace),
            "org.springframework.dao.DataAccessResourceFailureException: could not acquire connection\nCaused by: java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms."
        );
        let dotnet = "System.InvalidOperationException: Timeout expired.\n   at Microsoft.Data.SqlClient.ConnectionPool.GetConnection(DbConnection owningObject)\n--- End of stack trace from previous location ---\n   at App.Run() in /src/App.cs:line 12";
        assert_eq!(
            headline(dotnet),
            "System.InvalidOperationException: Timeout expired."
        );
        let node = "Error: Connection terminated due to connection timeout\n    at Connection.<anonymous> (/app/node_modules/pg/lib/client.js:132:73)";
        assert_eq!(
            headline(node),
            "Error: Connection terminated due to connection timeout"
        );
    }

    #[test]
    fn a_go_panic_stops_at_its_goroutine_dump() {
        let panic = "panic: runtime error: invalid memory address or nil pointer dereference\n[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a1b2c]\n\ngoroutine 1 [running]:\nmain.main()\n\t/app/main.go:12 +0x1c";
        assert_eq!(
            headline(panic),
            "panic: runtime error: invalid memory address or nil pointer dereference\n[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a1b2c]"
        );
    }

    #[test]
    fn other_text_is_left_alone() {
        let pg = "2026-12-01 22:55:16.099 UTC [17829] ERROR:  deadlock detected\n2026-12-01 22:55:16.099 UTC [17829] DETAIL:  Process 17829 waits for ShareLock";
        assert!(matches!(headline(pg), Cow::Borrowed(_)));
        assert!(matches!(headline("pool timed out"), Cow::Borrowed(_)));
    }

    #[test]
    fn a_long_trace_is_cut_in_the_middle() {
        let text = format!(
            "Head: boom\n{}\nCaused by: root",
            "\tat x.Y.z(Y.java:1)\n".repeat(200)
        );
        let cut = cut_middle(&text, 200);
        assert!(cut.len() <= 200, "{}", cut.len());
        assert!(cut.starts_with("Head: boom"));
        assert!(cut.ends_with("Caused by: root"));
        assert_eq!(cut_middle("short", 200), "short");
    }
}
