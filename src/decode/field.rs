//! The parts of a decoded record that rules name: by meaning (`message`,
//! `error`, ...) whatever a format calls them, or by path.

/// Which part of a decoded record a rule's regex looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldRef {
    /// The record's message, whatever the format calls it.
    Message,
    /// Error text: `error`, `err`, `exception`, `error.message`, `@x`, ...
    Error,
    /// The level as written in the record.
    Level,
    /// The logger name or tracing target.
    Target,
    /// The whole logical line (after the envelope is removed).
    Line,
    /// Any other field, by dotted path (`fields.` is searched too).
    Path(String),
}

impl FieldRef {
    /// The field a rule file names: tailwatch's own names, else a path.
    pub fn parse(name: &str) -> FieldRef {
        match name {
            "message" | "msg" => FieldRef::Message,
            "error" => FieldRef::Error,
            "level" => FieldRef::Level,
            "target" | "logger" => FieldRef::Target,
            "line" => FieldRef::Line,
            other => FieldRef::Path(other.to_string()),
        }
    }

    pub fn name(&self) -> &str {
        match self {
            FieldRef::Message => "message",
            FieldRef::Error => "error",
            FieldRef::Level => "level",
            FieldRef::Target => "target",
            FieldRef::Line => "line",
            FieldRef::Path(p) => p,
        }
    }
}
