//! How settings are given, resolved and refused.

use super::*;
use crate::cli::RunArgs;
use clap::Parser;

fn resolve_with(extra: &[&str], vars: &[(&str, &str)]) -> Result<RunSettings, ConfigError> {
    let mut argv = vec!["run"];
    argv.extend_from_slice(extra);
    let args = RunArgs::parse_from(argv);
    let vars = vars.iter().map(|(k, v)| (k.to_string(), v.to_string()));
    RunSettings::build(given(args.config.as_deref(), args.settings, vars)?.values())
}

fn resolve(extra: &[&str]) -> Result<RunSettings, ConfigError> {
    resolve_with(extra, &[])
}

#[test]
fn flags_override_variables_which_override_the_file_which_overrides_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("c.yaml");
    std::fs::write(
        &cfg,
        "paths: ['/var/log/app/*.log']\nstart_at: beginning\npoll_interval_ms: 100\nglob_interval_ms: 700\n",
    )
    .unwrap();
    let s = resolve_with(
        &[
            "--config",
            cfg.to_str().unwrap(),
            "--poll-interval-ms",
            "50",
        ],
        &[
            ("TAILWATCH_POLL_INTERVAL_MS", "70"),
            ("TAILWATCH_GLOB_INTERVAL_MS", "900"),
        ],
    )
    .unwrap();
    assert_eq!(s.file_inputs[0].as_str(), "/var/log/app/*.log");
    assert_eq!(s.start_at(), StartAt::Beginning);
    assert_eq!(s.poll_interval, Duration::from_millis(50), "the flag");
    assert_eq!(s.glob_interval, Duration::from_millis(900), "the variable");
    assert_eq!(s.checkpoint_interval, Duration::from_secs(1), "the default");
    assert_eq!(s.listen.to_string(), DEFAULT_LISTEN);
}

#[test]
fn unknown_keys_and_wrong_types_say_where_and_missing_inputs_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("c.yaml");
    std::fs::write(&cfg, "paths: ['/x']\nredact:\n  spans: maybe\n").unwrap();
    let err = resolve(&["--config", cfg.to_str().unwrap()]).unwrap_err();
    let ConfigError::Parse {
        line, column, key, ..
    } = &err
    else {
        panic!("{err}")
    };
    assert_eq!(
        (*line, *column, key.as_deref()),
        (Some(3), Some(10), Some("redact.spans"))
    );
    std::fs::write(&cfg, "path: ['/x']\n").unwrap();
    let err = resolve(&["--config", cfg.to_str().unwrap()]).unwrap_err();
    assert!(err.to_string().contains("unknown field `path`"), "{err}");
    assert!(err.to_string().contains(":1:1"), "{err}");
    let err = resolve(&[]).unwrap_err();
    assert!(matches!(err, ConfigError::NoInputs));
    let err = resolve(&["--path", "/x", "--poll-interval-ms", "0"]).unwrap_err();
    assert_eq!(err.to_string(), "poll_interval_ms must be greater than 0");
}

#[test]
fn multiline_groups_from_the_file_or_the_flags_first_match_wins() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("c.yaml");
    std::fs::write(
        &cfg,
        "paths: ['/x/*.log']\nmultiline:\n  - path: /x/pg-*.log\n    preset: postgres\n  - path: /x/*.log\n    start: '^\\['\n",
    )
    .unwrap();
    let s = resolve(&["--config", cfg.to_str().unwrap()]).unwrap();
    let choose = |p: &str| s.multiline.choose(Path::new(p));
    assert_eq!(choose("/x/pg-1.log").preset, Preset::Postgres);
    assert!(choose("/x/other.log").start.is_some());
    assert_eq!(choose("/y/z.log").preset, Preset::Auto);
    // The flag replaces the file's list, as every flag does.
    let s = resolve(&[
        "--config",
        cfg.to_str().unwrap(),
        "--multiline",
        "/x/app.log=java",
    ])
    .unwrap();
    assert_eq!(
        s.multiline.choose(Path::new("/x/app.log")).preset,
        Preset::Java
    );
    assert_eq!(
        s.multiline.choose(Path::new("/x/pg-1.log")).preset,
        Preset::Auto
    );
    let bad = dir.path().join("bad.yaml");
    std::fs::write(
        &bad,
        "paths: ['/x']\nmultiline:\n  - path: /x\n    start: '('\n",
    )
    .unwrap();
    let err = resolve(&["--config", bad.to_str().unwrap()]).unwrap_err();
    assert!(err.to_string().contains("is not a valid regex"), "{err}");
    let err = RunArgs::try_parse_from(["run", "--multiline", "/x=cobol"]).unwrap_err();
    assert!(err.to_string().contains("not a preset"), "{err}");
}

#[test]
fn a_reload_sees_which_settings_only_a_restart_can_change() {
    let values = |extra: &[&str]| resolve(extra).unwrap().values;
    let running = values(&["--path", "/x"]);
    assert!(values(&["--path", "/x", "--poll-interval-ms", "10"])
        .restart_only_changes(&running)
        .is_empty());
    assert_eq!(
        values(&["--path", "/x", "--listen", "127.0.0.1:1"]).restart_only_changes(&running),
        ["listen"]
    );
}

#[test]
fn the_reference_config_names_every_setting_with_its_default() {
    let text = include_str!("../../config/tailwatch.yaml");
    let file = parse(Path::new("config/tailwatch.yaml"), text).unwrap();
    let file = serde_yaml_ng::to_value(&file).unwrap();
    let defaults = serde_yaml_ng::to_value(RawConfig::defaults()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    for setting in SETTINGS {
        let key = setting.name;
        // Its line, or for one without a default its commented example.
        let at = lines
            .iter()
            .position(|l| l.starts_with(&format!("{key}:")) || l.starts_with(&format!("# {key}:")))
            .unwrap_or_else(|| panic!("config/tailwatch.yaml does not document `{key}`"));
        if let Some(default) = defaults.get(key) {
            assert_eq!(
                file.get(key),
                Some(default),
                "config/tailwatch.yaml gives `{key}` another value than its default"
            );
        }
        // The comment above it says when a reload cannot change it.
        let mut comment: Vec<&str> = lines[..at]
            .iter()
            .rev()
            .take_while(|l| {
                l.starts_with('#')
                    && !SETTINGS
                        .iter()
                        .any(|s| l.starts_with(&format!("# {}:", s.name)))
            })
            .map(|l| l.trim_start_matches('#').trim())
            .collect();
        comment.reverse();
        let comment = comment.join(" ");
        assert_eq!(
            comment.contains("Restart to change"),
            setting.reload == Reload::Restart,
            "the comment on `{key}` in config/tailwatch.yaml says whether a restart is needed: {comment}"
        );
    }
}

#[test]
fn the_readme_table_lists_every_setting_as_declared() {
    let readme = include_str!("../../README.md");
    let table = reference_table();
    assert!(
        readme.contains(&table),
        "the README's table of settings is not the declared one; it should read:\n{table}"
    );
}

#[test]
fn every_setting_has_its_variable_and_flags_are_settings() {
    use clap::CommandFactory;
    let command = RunArgs::command();
    for arg in command.get_arguments() {
        let id = arg.get_id().as_str();
        assert!(
            id == "config" || SETTINGS.iter().any(|s| s.name == id),
            "--{} is not a setting",
            arg.get_long().unwrap_or(id)
        );
    }
    for setting in SETTINGS {
        let value = match RawConfig::defaults().default_text(setting.name) {
            Some(d) => d,
            None => "x".to_string(),
        };
        let vars = [(setting.variable(), value)];
        assert!(
            env::from_vars(vars.into_iter()).is_ok(),
            "{} does not take the value the reference gives",
            setting.variable()
        );
    }
}
