//! The `TAILWATCH_*` variables: one per setting, named after its key
//! (`poll_interval_ms` is `TAILWATCH_POLL_INTERVAL_MS`), its value written
//! as in the config file (YAML: `250`, `true`, `[a, b]`,
//! `{patterns: ['acct-\d+']}`); a list may also be comma-separated
//! (`TAILWATCH_PATHS=/var/log/a/*.log,/var/log/b/*.log`). An empty
//! variable is unset.

use super::{ConfigError, RawConfig, SETTINGS};

/// The settings the variables among `vars` give.
pub(super) fn from_vars(
    vars: impl Iterator<Item = (String, String)>,
) -> Result<RawConfig, ConfigError> {
    let mut given = RawConfig::default();
    for (variable, text) in vars {
        let Some(setting) = SETTINGS.iter().find(|s| s.variable() == variable) else {
            continue;
        };
        if text.trim().is_empty() {
            continue;
        }
        let one = |value: serde_yaml_ng::Value| {
            let mut map = serde_yaml_ng::Mapping::new();
            map.insert(setting.name.into(), value);
            serde_yaml_ng::from_value::<RawConfig>(serde_yaml_ng::Value::Mapping(map))
        };
        let as_yaml = serde_yaml_ng::from_str(&text)
            .unwrap_or_else(|_| serde_yaml_ng::Value::String(text.clone()));
        let parsed = one(as_yaml).or_else(|error| {
            // A list written with commas.
            let items = text
                .split(',')
                .map(|item| serde_yaml_ng::Value::String(item.trim().to_string()))
                .collect();
            one(serde_yaml_ng::Value::Sequence(items)).map_err(|_| error)
        });
        match parsed {
            Ok(raw) => given = given.overridden_by(raw),
            Err(e) => {
                return Err(ConfigError::Variable {
                    variable,
                    message: e.to_string(),
                })
            }
        }
    }
    Ok(given)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn vars(pairs: &[(&str, &str)]) -> Result<RawConfig, ConfigError> {
        from_vars(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())))
    }

    #[test]
    fn each_setting_has_a_variable_written_as_in_the_file() {
        let raw = vars(&[
            ("TAILWATCH_POLL_INTERVAL_MS", "100"),
            ("TAILWATCH_PATHS", "/a/*.log,/b/*.log"),
            ("TAILWATCH_PATTERNS", "[/rules]"),
            ("TAILWATCH_ENABLE_LIFECYCLE", "true"),
            (
                "TAILWATCH_REDACT",
                "{patterns: ['acct-\\d+'], spans: false}",
            ),
            ("TAILWATCH_LISTEN", "127.0.0.1:9000"),
            ("TAILWATCH_MATCHES_OUT", ""),
            ("HOME", "/root"),
        ])
        .unwrap();
        assert_eq!(raw.poll_interval_ms, Some(100));
        assert_eq!(
            raw.paths,
            Some(vec!["/a/*.log".to_string(), "/b/*.log".to_string()])
        );
        assert_eq!(raw.patterns, Some(vec![PathBuf::from("/rules")]));
        assert_eq!(raw.enable_lifecycle, Some(true));
        assert!(!raw.redact.unwrap().spans);
        assert_eq!(raw.listen.as_deref(), Some("127.0.0.1:9000"));
        assert_eq!(raw.matches_out, None, "an empty variable is unset");
    }

    #[test]
    fn a_bad_variable_is_named_in_the_error() {
        let err = vars(&[("TAILWATCH_POLL_INTERVAL_MS", "soon")]).unwrap_err();
        let text = err.to_string();
        assert!(
            text.starts_with("TAILWATCH_POLL_INTERVAL_MS: ") && text.contains("u64"),
            "{text}"
        );
    }
}
