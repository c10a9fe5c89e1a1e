//! The `tailwatch` binary: parse flags, load rules, run a command, map the
//! outcome to an exit code (0 ok, 1 `--fail-on` or failed examples, 2 errors).

#![forbid(unsafe_code)]

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, LineWriter, Write};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::FromArgMatches;

use tailwatch::agent::reload::ConfigSource;
use tailwatch::aggregate::{AggregateSettings, Aggregation, Clock};
use tailwatch::cli::{
    Cli, ColorChoice, Command, EnvelopeArg, OutputFormat, RuleArgs, RunArgs, ScanArgs, SuggestArgs,
    SuggestFormat, SuggestLevel,
};
use tailwatch::config::{RawConfig, RunSettings};
use tailwatch::decode::Envelope;
use tailwatch::export::otlp::{Otlp, OtlpSettings, SpanCounters};
use tailwatch::input::Input;
use tailwatch::live::{self, Display, FlushingStdout, IncidentLines, LiveWatch};
use tailwatch::matcher::Matcher;
use tailwatch::mine;
use tailwatch::output::MatchWriter;
use tailwatch::redact::Redaction;
use tailwatch::report::Report;
use tailwatch::rules::RuleSet;
use tailwatch::scan::{self, ScanOptions};
use tailwatch::telemetry::{self, LogFormat};

fn main() -> ExitCode {
    let matches = tailwatch::cli::command().get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    if let Command::Run(args) = cli.command {
        return run_agent(args);
    }
    // Other commands are for people: warnings as human lines.
    let _ = telemetry::init(LogFormat::Human, None, "warn");
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            if err
                .chain()
                .filter_map(|e| e.downcast_ref::<io::Error>())
                .any(|e| e.kind() == io::ErrorKind::BrokenPipe)
            {
                return ExitCode::SUCCESS;
            }
            eprintln!("tailwatch: error: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// `tailwatch run`: the agent, whose own logs go through `tracing` (JSON
/// lines unless stderr is a terminal), an error that stops it included.
fn run_agent(args: RunArgs) -> ExitCode {
    let source = ConfigSource {
        path: args.config,
        flags: args.settings,
    };
    let settings = match RunSettings::resolve(source.path.as_deref(), source.flags.clone()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("tailwatch: error: {e}");
            return ExitCode::from(2);
        }
    };
    if let Err(e) = telemetry::init(
        LogFormat::for_agent(),
        settings.values.log_level.as_deref(),
        "info",
    ) {
        eprintln!("tailwatch: error: {e}");
        return ExitCode::from(2);
    }
    let stopped = source
        .load()
        .map_err(|e| anyhow::anyhow!("rules did not load: {e}"))
        .and_then(|(_, matcher)| {
            tailwatch::agent::run(source, settings, matcher).map_err(anyhow::Error::from)
        });
    match stopped {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = format!("{e:#}"), "tailwatch stopped");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Scan(args) => scan_command(args),
        Command::Suggest(args) => suggest_command(args),
        Command::Top {
            url,
            interval,
            once,
        } => top_command(&url, interval, once),
        Command::Run(_) => unreachable!("run is handled by run_agent"),
        Command::Check {
            config: Some(config),
            patterns,
            no_default_rules,
            format,
            ..
        } => check_config_command(&config, patterns, no_default_rules, format),
        Command::Check {
            dirs,
            no_default_rules,
            verbose,
            ..
        } => check_command(&dirs, no_default_rules, verbose),
        Command::Test {
            dirs,
            no_default_rules,
        } => test_command(&dirs, no_default_rules),
        Command::Alerts {
            out,
            runbook_base,
            selector,
            rules,
        } => {
            let set = load_rules(&rules)?;
            let alerts = tailwatch::alerts::Alerts::generate(&set, &selector, &runbook_base);
            let rules_yaml = alerts.render_rules();
            match out {
                None => print!("{rules_yaml}"),
                Some(dir) => {
                    let tests = alerts
                        .render_tests("tailwatch.rules.yml")
                        .map_err(|e| anyhow::anyhow!("--selector: {e}"))?;
                    std::fs::create_dir_all(&dir)
                        .with_context(|| format!("cannot create {}", dir.display()))?;
                    let rules_path = dir.join("tailwatch.rules.yml");
                    std::fs::write(&rules_path, rules_yaml)
                        .with_context(|| format!("cannot write {}", rules_path.display()))?;
                    let tests_path = dir.join("tailwatch.rules.test.yml");
                    std::fs::write(&tests_path, tests)
                        .with_context(|| format!("cannot write {}", tests_path.display()))?;
                    let inhibit_path = dir.join("tailwatch.inhibit.yml");
                    std::fs::write(&inhibit_path, alerts.render_inhibit_rules())
                        .with_context(|| format!("cannot write {}", inhibit_path.display()))?;
                    eprintln!(
                        "wrote {}, {} and {}",
                        rules_path.display(),
                        tests_path.display(),
                        inhibit_path.display()
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Explain { line, rules } => {
            let matcher = Matcher::new(load_rules(&rules)?);
            print!("{}", tailwatch::explain::explain(&matcher, &line));
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn load_rules(args: &RuleArgs) -> Result<RuleSet> {
    let (set, warnings) =
        RuleSet::load(!args.no_default_rules, &args.patterns).context("rules did not load")?;
    for w in warnings {
        eprintln!("tailwatch: warning: {w}");
    }
    Ok(set)
}

/// `tailwatch check --config FILE`: every problem of a config and the
/// rules it names; exit 2 when there is an error.
fn check_config_command(
    config: &std::path::Path,
    patterns: Vec<std::path::PathBuf>,
    no_default_rules: bool,
    format: OutputFormat,
) -> Result<ExitCode> {
    let flags = RawConfig {
        patterns: (!patterns.is_empty()).then_some(patterns),
        no_default_rules: no_default_rules.then_some(true),
        ..RawConfig::default()
    };
    let report = tailwatch::config::check::check(Some(config), flags, std::env::vars());
    match format {
        OutputFormat::Json => println!("{}", serde_json::to_string_pretty(&report)?),
        OutputFormat::Human => {
            for e in &report.errors {
                eprintln!("error: {e}");
            }
            for w in &report.warnings {
                eprintln!("warning: {w}");
            }
            if report.ok {
                println!(
                    "{}: OK, {} rules{}",
                    config.display(),
                    report.rules,
                    match report.warnings.len() {
                        0 => String::new(),
                        n => format!(", {n} warning{}", if n == 1 { "" } else { "s" }),
                    }
                );
            } else {
                eprintln!(
                    "{}: {} error{}",
                    config.display(),
                    report.errors.len(),
                    if report.errors.len() == 1 { "" } else { "s" }
                );
            }
        }
    }
    Ok(if report.ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

fn scan_command(args: ScanArgs) -> Result<ExitCode> {
    if args.follow && (args.files.is_empty() || args.files.iter().any(|f| f == "-")) {
        anyhow::bail!("--follow needs FILEs to follow (stdin is read as it comes without it)");
    }
    let matcher = Matcher::new(load_rules(&args.rules)?);
    let inputs = inputs_of(&args.files);
    let options = ScanOptions {
        max_line_bytes: args.max_line_bytes,
        envelope: envelope_of(args.envelope),
        progress: true,
        stream: stdin_is_stream(&inputs),
        since: since_of(args.since),
    };
    // A one-shot report keeps every extracted series (up to the cap) and
    // measures windows and incidents in the log's own time; a stream that
    // may run for days lets quiet series expire, as the sidecar does.
    let defaults = AggregateSettings::default();
    let mut aggregation = Aggregation::new(
        &matcher.rules,
        AggregateSettings {
            series_ttl: defaults
                .series_ttl
                .filter(|_| options.stream || args.follow),
            clock: Clock::Log,
            ..defaults
        },
    );
    let redaction = Redaction {
        reports: !args.no_redact,
        metrics: !args.no_redact,
        matches_out: args.redact_matches_out,
        ..Redaction::default()
    };
    aggregation.redact(&redaction);
    let otlp = if args.otlp || args.otlp_endpoint.is_some() {
        let settings = OtlpSettings::from_env(args.otlp_endpoint.clone())?.context(
            "--otlp needs --otlp-endpoint or OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT)",
        )?;
        Some(Otlp::start(settings, SpanCounters::counting())?)
    } else {
        None
    };
    if let Some(otlp) = &otlp {
        aggregation.subscribe(Box::new(
            otlp.spans(&matcher.rules, redaction.for_spans().cloned().map(Arc::new)),
        ));
    }
    // Trouble shows as it happens on a stream that stays open, unless
    // asked not to.
    let display = if (options.stream || args.follow) && !args.no_live {
        Display::choose(io::stderr().is_terminal())
    } else {
        Display::Quiet
    };
    if display == Display::Lines {
        aggregation.subscribe(Box::new(IncidentLines::new(&matcher.rules)));
    }
    let mut watch = LiveWatch::new(&matcher.rules, display);
    live::stop_on_signals(&watch.stop).context("cannot listen for signals")?;
    let report_to_stderr = args.matches_out.as_deref() == Some("-");
    let mut writer = match args.matches_out.as_deref() {
        None => None,
        Some(path) => {
            let out: Box<dyn Write> = if path == "-" {
                // Read as it comes (`| jq`): each record flushed.
                Box::new(LineWriter::new(FlushingStdout {
                    closed: watch.output_closed.clone(),
                }))
            } else {
                Box::new(BufWriter::new(
                    File::create(path).with_context(|| format!("cannot create {path}"))?,
                ))
            };
            Some(MatchWriter::new(out).redacted(redaction.for_matches_out().cloned().map(Arc::new)))
        }
    };
    let summaries = if args.follow {
        scan::follow_files(
            &matcher,
            &args.files,
            &options,
            &mut aggregation,
            &mut writer,
            &mut watch,
        )?
    } else {
        scan::scan_inputs(
            &matcher,
            &inputs,
            &options,
            &mut aggregation,
            &mut writer,
            &mut watch,
        )?
    };
    watch.clear();
    if let (Some(writer), Some(path)) = (writer.as_mut(), args.matches_out.as_deref()) {
        let flushed = writer.flush();
        // A closed pipe (`| head`) ends the scan like EOF; other failures
        // are errors.
        if !watch
            .output_closed
            .load(std::sync::atomic::Ordering::SeqCst)
        {
            flushed.with_context(|| format!("cannot write matches to {path}"))?;
        }
    }
    let report = Report::build(&matcher.rules, &aggregation, &summaries);
    let text = match args.format {
        OutputFormat::Json => serde_json::to_string_pretty(&report)? + "\n",
        OutputFormat::Human => {
            let terminal = if report_to_stderr {
                io::stderr().is_terminal()
            } else {
                io::stdout().is_terminal()
            };
            let color = match args.color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => terminal && std::env::var_os("NO_COLOR").is_none(),
            };
            report.render_human(color)
        }
    };
    let written = if report_to_stderr {
        io::stderr().write_all(text.as_bytes())
    } else {
        let mut out = io::stdout().lock();
        out.write_all(text.as_bytes()).and_then(|()| out.flush())
    };
    match written {
        // The reader went away (`| head`): it has what it wanted.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
        written => written.context("cannot write the report")?,
    }
    if let Some(otlp) = otlp {
        // Incidents still open at the end of the input close now, so that
        // each one is exported as a span too.
        aggregation.close_incidents();
        let counters = otlp.counters.clone();
        otlp.shutdown(Duration::from_secs(10));
        eprintln!("tailwatch: {}", counters.summary());
    }
    let failed = args
        .fail_on
        .is_some_and(|threshold| aggregation.worst().is_some_and(|w| w >= threshold));
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn suggest_command(args: SuggestArgs) -> Result<ExitCode> {
    let matcher = Matcher::new(load_rules(&args.rules)?);
    let inputs = inputs_of(&args.files);
    let options = ScanOptions {
        max_line_bytes: args.max_line_bytes,
        envelope: envelope_of(args.envelope),
        progress: true,
        stream: false,
        since: since_of(args.since),
    };
    let mut aggregation = Aggregation::new(
        &matcher.rules,
        AggregateSettings {
            clock: Clock::Log,
            ..AggregateSettings::default()
        },
    );
    aggregation.redact(&Redaction::default());
    let mut watch = LiveWatch::new(&matcher.rules, Display::Quiet);
    live::stop_on_signals(&watch.stop).context("cannot listen for signals")?;
    let summaries = scan::scan_inputs(
        &matcher,
        &inputs,
        &options,
        &mut aggregation,
        &mut None::<MatchWriter<io::Sink>>,
        &mut watch,
    )?;
    let least_level = match args.level {
        SuggestLevel::Warn => 0,
        SuggestLevel::Error => 1,
    };
    let miner = aggregation.miner();
    let all = miner.top(usize::MAX);
    let chosen: Vec<_> = all
        .iter()
        .copied()
        .filter(|t| t.count >= args.min_count)
        .filter(|t| t.level_name() == "none" || t.level >= least_level)
        .take(args.top)
        .collect();
    let suggestions = mine::suggest::suggest(&chosen, &all, matcher.resemblance_model());
    let unmatched: u64 = summaries
        .iter()
        .map(|s| s.stats.unmatched.iter().sum::<u64>())
        .sum();
    let lines: u64 = summaries.iter().map(|s| s.stats.lines).sum();
    let summary = format!(
        "{} lines read; {} at WARN or worse matched no rule, in {} templates; {} suggested (--min-count {}).",
        lines,
        unmatched,
        miner.templates().len(),
        suggestions.len(),
        args.min_count
    );
    let text = match args.format {
        SuggestFormat::Yaml => mine::suggest::rule_file(&suggestions),
        SuggestFormat::Text => {
            let mut out = format!("{summary}\n");
            for s in &suggestions {
                let t = &s.template;
                out.push_str(&format!(
                    "\n{} x {}  {}\n",
                    t.count,
                    t.level_name(),
                    t.text()
                ));
                for sample in &t.samples {
                    out.push_str(&format!(
                        "    sample: {}\n",
                        sample.lines().next().unwrap_or("")
                    ));
                }
                out.push_str(&mine::suggest::rule_entry(s));
            }
            out
        }
    };
    match &args.output {
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            let path = dir.join("suggested.yaml");
            std::fs::write(&path, mine::suggest::rule_file(&suggestions))
                .with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!("{summary}\nwrote {}", path.display());
        }
        None => {
            if args.format == SuggestFormat::Yaml {
                eprintln!("{summary}");
            }
            let mut out = io::stdout().lock();
            match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
                written => written.context("cannot write the suggestions")?,
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `tailwatch top`: an agent's `/report`, drawn as `scan`'s live view.
fn top_command(url: &str, interval: Duration, once: bool) -> Result<ExitCode> {
    let url = format!("{}/report", url.trim_end_matches('/'));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the HTTP client")?;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .context("cannot start the HTTP client")?;
    let fetch = || -> Result<serde_json::Value> {
        runtime.block_on(async {
            let response = client.get(&url).send().await?.error_for_status()?;
            Ok(serde_json::from_str(&response.text().await?)?)
        })
    };
    let terminal = io::stdout().is_terminal() && !once;
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    live::stop_on_signals(&stop).context("cannot listen for signals")?;
    let columns = if terminal {
        terminal_size::terminal_size().map_or(120, |(w, _)| w.0 as usize)
    } else {
        usize::MAX
    };
    loop {
        let page = match fetch() {
            Ok(report) => {
                let incidents = report["incidents"].as_array().cloned().unwrap_or_default();
                let newest = incidents
                    .iter()
                    .max_by_key(|i| i["last_match"].as_str().unwrap_or("").to_string())
                    .and_then(|i| i["rule"].as_str());
                let header = [
                    format!(
                        "tailwatch top — {url}   state: {}   open incidents: {}",
                        report["state"].as_str().unwrap_or("?").to_uppercase(),
                        incidents.len()
                    ),
                    format!(
                        "read {} lines from {} inputs open; {} at WARN or worse matched no rule",
                        report["totals"]["lines"].as_u64().unwrap_or(0),
                        report["inputs_open"].as_u64().unwrap_or(0),
                        report["unmatched"]["lines"].as_u64().unwrap_or(0)
                    ),
                ];
                live::page(&header, &report, newest, columns)
            }
            Err(e) if once => anyhow::bail!("cannot read {url}: {e:#}"),
            Err(e) => format!("tailwatch top — cannot read {url}: {e:#}; trying again\x1b[K\n"),
        };
        if terminal {
            print!("\x1b[H\x1b[2J{page}");
        } else {
            print!("{}", page.replace("\x1b[K", ""));
        }
        io::stdout().flush().ok();
        if once {
            return Ok(ExitCode::SUCCESS);
        }
        let until = std::time::Instant::now() + interval;
        while std::time::Instant::now() < until {
            if stop.load(std::sync::atomic::Ordering::SeqCst) {
                return Ok(ExitCode::SUCCESS);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// `--since DURATION` as the earliest record time (Unix µs).
fn since_of(since: Option<Duration>) -> Option<i64> {
    since.map(|d| tailwatch::aggregate::wall_now() - d.as_micros() as i64)
}

/// The FILEs of `scan` and `suggest`: none, or `-`, reads stdin.
fn inputs_of(files: &[String]) -> Vec<Input> {
    if files.is_empty() {
        vec![Input::Stdin]
    } else {
        files.iter().map(|f| Input::from_arg(f)).collect()
    }
}

fn envelope_of(arg: EnvelopeArg) -> Option<Envelope> {
    match arg {
        EnvelopeArg::Auto => None,
        EnvelopeArg::Raw => Some(Envelope::Raw),
        EnvelopeArg::Cri => Some(Envelope::Cri),
        EnvelopeArg::Docker => Some(Envelope::Docker),
    }
}

/// Whether standard input is among the inputs and may stay open (a pipe,
/// a terminal, a socket), rather than a file redirected in.
fn stdin_is_stream(inputs: &[Input]) -> bool {
    use std::os::unix::fs::FileTypeExt;
    inputs.contains(&Input::Stdin)
        && std::fs::metadata("/dev/stdin").map_or(true, |m| {
            let t = m.file_type();
            !t.is_file() && !t.is_block_device()
        })
}

fn check_command(
    dirs: &[std::path::PathBuf],
    no_default_rules: bool,
    verbose: bool,
) -> Result<ExitCode> {
    match RuleSet::load(!no_default_rules, dirs)
        .and_then(|(set, warnings)| set.compile_all().map(|()| (set, warnings)))
    {
        Ok((set, warnings)) => {
            if verbose {
                for rule in &set.rules {
                    let literals = match &rule.cover {
                        Some(c) => c
                            .iter()
                            .map(|l| format!("{:?}", String::from_utf8_lossy(l)))
                            .collect::<Vec<_>>()
                            .join(", "),
                        None => "none: every line is a candidate".into(),
                    };
                    println!("{} ({}): prefilter {literals}", rule.name, rule.origin);
                }
                let matcher = Matcher::new(set.clone());
                let anchors: Vec<String> = matcher
                    .prefilter
                    .anchors()
                    .map(|a| format!("{:?}", String::from_utf8_lossy(a)))
                    .collect();
                println!(
                    "sieve: {} literals, {} anchors, stride {}: {}",
                    matcher.prefilter.literal_count(),
                    anchors.len(),
                    matcher.prefilter.stride(),
                    anchors.join(", ")
                );
            }
            for w in &warnings {
                eprintln!("warning: {w}");
            }
            println!(
                "{} rules{} OK{}",
                set.rules.len(),
                match set.diagnoses.len() {
                    0 => String::new(),
                    n => format!(", {n} diagnoses"),
                },
                if warnings.is_empty() {
                    String::new()
                } else {
                    format!(", {} warnings", warnings.len())
                }
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(errors) => {
            eprintln!("{errors}");
            eprintln!(
                "{} error{} in rule files",
                errors.0.len(),
                if errors.0.len() == 1 { "" } else { "s" }
            );
            Ok(ExitCode::from(2))
        }
    }
}

fn test_command(dirs: &[std::path::PathBuf], no_default_rules: bool) -> Result<ExitCode> {
    let rules = load_rules(&RuleArgs {
        patterns: dirs.to_vec(),
        no_default_rules,
    })?;
    if let Err(errors) = rules.compile_all() {
        eprintln!("{errors}");
        return Ok(ExitCode::from(2));
    }
    let count = rules.rules.len();
    let matcher = Matcher::new(rules);
    let (run, failures) = tailwatch::rule_tests::run_examples(&matcher);
    for f in &failures {
        println!(
            "FAIL {} ({}): {}\n     {}: {}",
            f.rule, f.origin, f.detail, f.list, f.line
        );
    }
    println!(
        "{} passed, {} failed ({} rules, {} examples)",
        run - failures.len(),
        failures.len(),
        count,
        run
    );
    Ok(if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
