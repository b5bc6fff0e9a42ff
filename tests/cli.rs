#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
//! The `preclaim` binary end to end: its output and exit codes on the example claims, stdin, bad input,
//! the eval command used by conformance runners, lint and the pack's own tests.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_preclaim"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        let mut input = child.stdin.take().unwrap();
        if let Some(s) = stdin {
            input.write_all(s.as_bytes()).unwrap();
        }
    }
    child.wait_with_output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).to_string()
}

#[test]
fn check_prints_the_report_of_each_example() {
    for (claim, locale) in [
        ("acc-outpatient-child", "zh-CN"),
        ("acc-inpatient-missing-documents", "en"),
        ("acc-malformed-fields", "zh-CN"),
    ] {
        let path = format!("examples/{claim}.json");
        let mut args = vec!["check", path.as_str()];
        if locale == "en" {
            args.extend(["--locale", "en"]);
        }
        let out = run(&args, None);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let want = std::fs::read_to_string(root().join(format!("tests/snapshots/{claim}.{locale}.json"))).unwrap();
        assert_eq!(text(&out.stdout), want, "{claim}");
    }
}

#[test]
fn check_reads_stdin_and_uses_a_given_pack() {
    let claim = std::fs::read_to_string(root().join("examples/acc-outpatient-child.json")).unwrap();
    let out = run(&["check", "-", "--pack", "packs/p-acc.json"], Some(&claim));
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("\"payable\": \"275.00\""));
}

#[test]
fn bad_input_exits_2_with_one_line() {
    let out = run(&["check", "-"], Some("{\"schema\": "));
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("not valid JSON") && err.contains("line 1, column 12"),
        "{err}"
    );

    let dir = std::env::temp_dir().join(format!("preclaim-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad_pack = dir.join("bad.json");
    std::fs::write(&bad_pack, "{\"id\": \"X\", \"version\": \"1\"}").unwrap();
    let out = run(
        &[
            "check",
            "examples/acc-outpatient-child.json",
            "--pack",
            bad_pack.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("version: `1` is not a semantic version"),
        "{}",
        text(&out.stderr)
    );

    let out = run(&["check", "no-such-file.json"], None);
    assert_eq!(out.status.code(), Some(2));

    // Too large is its own error, not "not valid JSON".
    let big = " ".repeat(preclaim::check::MAX_CLAIM_BYTES + 1);
    let out = run(&["check", "-"], Some(&big));
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert_eq!(
        err.trim(),
        "preclaim: -: the claim is larger than 67108864 bytes [claim.too_large]"
    );
}

#[test]
fn a_report_is_produced_for_any_json_object() {
    // Not a claim at all, but JSON: a report with C00 findings, exit 0.
    let out = run(&["check", "-"], Some("{\"hello\": 1}"));
    assert_eq!(out.status.code(), Some(0));
    let s = text(&out.stdout);
    assert!(
        s.contains("\"status\": \"incomplete\"") && s.contains("\"hello\""),
        "{s}"
    );
}

#[test]
fn eval_prints_results_and_errors() {
    let out = run(&["eval", r#"{"+": [1, {"var": "a"}]}"#, r#"{"a": 2}"#], None);
    assert_eq!((out.status.code(), text(&out.stdout).trim()), (Some(0), "3"));
    let out = run(&["eval", r#"{"/": [1, 0]}"#, "null"], None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stderr).trim(), r#"{"type":"NaN"}"#);
    let out = run(&["eval", r#"{"throw": "Not an admin"}"#, "{}"], None);
    assert_eq!(
        (out.status.code(), text(&out.stderr).trim()),
        (Some(1), r#"{"type":"Not an admin"}"#)
    );
    let out = run(
        &[
            "eval",
            "--text",
            "age(birth, '2024-02-29')",
            r#"{"birth": "2020-02-29"}"#,
        ],
        None,
    );
    assert_eq!(text(&out.stdout).trim(), "4");
    let out = run(&["eval", "{", "{}"], None);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn eval_refuses_a_number_too_large_for_a_double_even_under_preserve() {
    // It used to print `true`: `1e400` became infinity, which prints as `null`.
    for rule in [r#"{"<":[1,{"preserve":1e400}]}"#, r#"{"<":[1,1e400]}"#] {
        let out = run(&["eval", rule, "null"], None);
        assert_eq!(out.status.code(), Some(2), "{rule}: {}", text(&out.stdout));
        assert!(
            text(&out.stderr).contains("number too large (out of the range of a double)"),
            "{rule}: {}",
            text(&out.stderr)
        );
    }
}

#[test]
fn lint_and_test_every_shipped_pack() {
    let mut packs: Vec<String> = std::fs::read_dir(root().join("packs"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| format!("packs/{}", p.file_name().unwrap().to_string_lossy()))
        .collect();
    packs.sort();
    assert_eq!(packs.len(), 6, "the six default products: {packs:?}");
    let args: Vec<&str> = packs.iter().map(String::as_str).collect();
    let out = run(&[&["lint"], args.as_slice()].concat(), None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert_eq!(text(&out.stdout).matches("is clean").count(), 6);
    let out = run(&[&["test"], args.as_slice()].concat(), None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let last = text(&out.stdout).lines().last().unwrap_or_default().to_string();
    println!("pack tests: {last}");
    assert!(last.ends_with(" passed, 0 failed"), "{last}");
}

/// A scratch directory for one test.
fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("preclaim-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn an_empty_catalog_built_by_the_cli_is_read_by_the_cli() {
    let dir = scratch("empty-catalog");
    let csv = dir.join("empty.csv");
    std::fs::write(&csv, "code,name_zh,name_en\n").unwrap();
    let bin = dir.join("empty.bin");
    let (csv, bin) = (csv.to_str().unwrap(), bin.to_str().unwrap());
    let out = run(&["catalog", "build", "--kind", "diagnosis", csv, "-o", bin], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = run(&["catalog", "info", bin], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("\"entries\":0"), "{}", text(&out.stdout));
    let out = run(&["catalog", "lookup", bin, "K80.0"], None);
    assert_eq!(out.status.code(), Some(1));
    let out = run(&["check", "examples/acc-outpatient-child.json", "--catalog", bin], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("preclaim/report@1"));
}

/// Runs the CLI with stdout on a device that refuses every write (`> /dev/full`).
fn run_to_full_disk(args: &[&str]) -> Output {
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
    Command::new(env!("CARGO_BIN_EXE_preclaim"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::null())
        .stdout(full)
        .stderr(Stdio::piped())
        .output()
        .unwrap()
}

#[test]
fn a_command_whose_output_cannot_be_written_fails() {
    let dir = scratch("full");
    let key_file = dir.join("key.txt");
    std::fs::write(
        &key_file,
        "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60\n",
    )
    .unwrap();
    let key = key_file.to_str().unwrap();
    // `pack sign` used to exit 0 with nothing written; `check` too.
    for args in [
        &["pack", "sign", "packs/p-acc.json", "--key", key][..],
        &["check", "examples/acc-outpatient-child.json"],
        &["eval", r#"{"+": [1, 2]}"#, "null"],
        &["packs"],
    ] {
        let out = run_to_full_disk(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(
            text(&out.stderr).trim(),
            "preclaim: cannot write the output: No space left on device (os error 28)",
            "{args:?}"
        );
    }
}

#[test]
fn pack_verify_fails_for_a_signed_pack_altered_with_a_number_out_of_range() {
    let dir = scratch("verify");
    let key_file = dir.join("key.txt");
    // RFC 8032 test 1's key pair.
    std::fs::write(
        &key_file,
        "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60\n",
    )
    .unwrap();
    let public = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    let out = run(
        &["pack", "sign", "packs/p-acc.json", "--key", key_file.to_str().unwrap()],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let signed = text(&out.stdout);
    let pack_file = dir.join("pack.json");
    let verify = |pack: &str| {
        std::fs::write(&pack_file, pack).unwrap();
        run(
            &["pack", "verify", pack_file.to_str().unwrap(), "--public-key", public],
            None,
        )
    };
    let out = verify(&signed);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    for big in ["1e400", "-1e400", "1E999"] {
        let altered = signed.replacen("\"payable\": null", &format!("\"payable\": {big}"), 1);
        assert_ne!(altered, signed);
        let out = verify(&altered);
        assert_eq!(out.status.code(), Some(1), "{big}: {}", text(&out.stdout));
        assert!(
            text(&out.stdout).contains("too large for a double"),
            "{}",
            text(&out.stdout)
        );
        // Nor does it load, or sign.
        let out = run(
            &[
                "check",
                "examples/acc-outpatient-child.json",
                "--pack",
                pack_file.to_str().unwrap(),
            ],
            None,
        );
        assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
        let out = run(
            &[
                "pack",
                "sign",
                pack_file.to_str().unwrap(),
                "--key",
                key_file.to_str().unwrap(),
            ],
            None,
        );
        assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
    }
}

#[test]
fn personal_numbers_never_reach_stdout_or_notes_in_full() {
    let claim = std::fs::read_to_string(root().join("examples/acc-outpatient-child.json")).unwrap();
    for secret in ["6225768888888880", "11010519491231002X"] {
        let edited = claim
            .replacen("\"icd10\": \"S62.1\"", &format!("\"icd10\": \"{secret}\""), 1)
            .replacen(
                "\"file\": \"d01-0.jpg\"",
                &format!("\"file\": \"{secret}.jpg\", \"quality\": {{\"verdict\": \"retake\"}}"),
                1,
            )
            .replacen("\"number\": \"0000777001\"", &format!("\"number\": \"{secret}\""), 1);
        for locale in ["en", "zh-CN"] {
            let out = run(&["check", "-", "--explain", "--locale", locale], Some(&edited));
            assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
            let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
            assert!(stdout.contains("\"C17\"") && stdout.contains("\"C19\""), "{stdout}");
            assert!(
                !stdout.contains(secret) && !stderr.contains(secret),
                "{stdout}\n{stderr}"
            );
        }
    }
    // An error that echoes the claim: a duplicate key that is a card number.
    let out = run(
        &["check", "-"],
        Some("{\"6225768888888888\": 1, \"6225768888888888\": 2}"),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(!text(&out.stderr).contains("6225768888888888"), "{}", text(&out.stderr));
}

#[test]
fn errors_stay_one_line_whatever_the_input_echoes() {
    let hostile = "x\\n\\u001b[2J\\r\\u0007\\u2028";
    let no_controls = |s: &str| {
        assert_eq!(s.lines().count(), 1, "{s:?}");
        assert!(
            !s.trim_end_matches('\n')
                .chars()
                .any(|c| c.is_control() || c == '\u{2028}'),
            "{s:?}"
        );
    };
    // A duplicate key in a claim on stdin.
    let out = run(
        &["check", "-"],
        Some(&format!("{{\"{hostile}\": 1, \"{hostile}\": 2}}")),
    );
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("duplicate key \"x\\n\\u001b[2J"), "{err:?}");
    no_controls(&err);
    // An unknown key in a pack.
    let dir = scratch("controls");
    let pack = std::fs::read_to_string(root().join("packs/p-acc.json"))
        .unwrap()
        .replacen("\"products\"", &format!("\"{hostile}\": 1, \"products\""), 1);
    let pack_file = dir.join("pack.json");
    std::fs::write(&pack_file, pack).unwrap();
    for args in [
        vec![
            "check",
            "examples/acc-outpatient-child.json",
            "--pack",
            pack_file.to_str().unwrap(),
        ],
        vec!["lint", pack_file.to_str().unwrap()],
    ] {
        let out = run(&args, None);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = text(&out.stderr);
        assert!(err.contains("unknown key `x\\n\\u001b[2J"), "{err:?}");
        no_controls(&err);
    }
    // An argument and a file name.
    let out = run(&["check", "a\u{1b}[2J\nb.json"], None);
    assert_eq!(out.status.code(), Some(2));
    no_controls(&text(&out.stderr));
}

/// Runs the CLI with stdin from a file (`/dev/zero`: endless).
fn run_with_stdin_file(args: &[&str], stdin: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_preclaim"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::from(std::fs::File::open(stdin).unwrap()))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .unwrap()
}

#[test]
fn endless_inputs_end_with_a_one_line_error_at_the_limit() {
    // Issue 13 item 8: stdin, --pack and --catalog are read with their size limit as they are read.
    let limits = preclaim::limits::ALL;
    let limit = |name: &str| limits.iter().find(|(k, _)| *k == name).unwrap().1.to_string();
    let cases: &[(&[&str], &str, &str)] = &[
        (&["check", "-"], "the claim is larger than", "MAX_CLAIM_BYTES"),
        (&["find", "-"], "the claim is larger than", "MAX_CLAIM_BYTES"),
        (
            &["check", "examples/acc-outpatient-child.json", "--pack", "/dev/zero"],
            "the pack is larger than",
            "MAX_PACK_BYTES",
        ),
        (
            &["check", "examples/acc-outpatient-child.json", "--catalog", "/dev/zero"],
            "the catalog is larger than",
            "MAX_CATALOG_BYTES",
        ),
        (
            &["catalog", "info", "/dev/zero"],
            "the catalog is larger than",
            "MAX_CATALOG_BYTES",
        ),
        (&["lint", "/dev/zero"], "the pack is larger than", "MAX_PACK_BYTES"),
    ];
    for (args, want, name) in cases {
        let start = std::time::Instant::now();
        let out = run_with_stdin_file(args, "/dev/zero");
        eprintln!(
            "cli: {args:?} on /dev/zero: {:.0} ms",
            start.elapsed().as_secs_f64() * 1e3
        );
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = text(&out.stderr);
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.contains(want) && err.contains(&limit(name)), "{args:?}: {err}");
    }
    // `preclaim limits` prints them all.
    let out = run(&["limits"], None);
    assert_eq!(out.status.code(), Some(0));
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(printed.as_object().unwrap().len(), limits.len());
    assert_eq!(printed["MAX_CLAIM_BYTES"], 64 << 20);
}

#[test]
fn pack_compile_writes_what_check_and_find_load_with_the_same_reports() {
    let dir = scratch("compile");
    let out_path = dir.join("p-acc.pack");
    let out_str = out_path.to_str().unwrap();
    let out = run(&["pack", "compile", "packs/p-acc.json", "-o", out_str], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("bytes compiled from"),
        "{}",
        text(&out.stderr)
    );
    let bytes = std::fs::read(&out_path).unwrap();
    assert!(bytes.starts_with(b"\x89PCPACK\n"));
    // `-o -` writes the same bytes to stdout.
    let out = run(&["pack", "compile", "packs/p-acc.json", "-o", "-"], None);
    assert_eq!(out.stdout, bytes);
    for locale in ["zh-CN", "en"] {
        let compiled = run(
            &[
                "check",
                "examples/acc-outpatient-child.json",
                "--pack",
                out_str,
                "--locale",
                locale,
            ],
            None,
        );
        let json = run(
            &[
                "check",
                "examples/acc-outpatient-child.json",
                "--pack",
                "packs/p-acc.json",
                "--locale",
                locale,
            ],
            None,
        );
        assert_eq!(compiled.status.code(), Some(0), "{}", text(&compiled.stderr));
        assert_eq!(text(&compiled.stdout), text(&json.stdout), "{locale}");
    }
    // lint of a compiled pack says to lint the JSON; test finds no tests in it.
    let lint = run(&["lint", out_str], None);
    assert_eq!(lint.status.code(), Some(1));
    assert!(
        text(&lint.stdout).contains("lint its JSON text"),
        "{}",
        text(&lint.stdout)
    );
    // Damaged: one line, exit 2, code-worthy message.
    let mut damaged = bytes.clone();
    let last = damaged.len() - 1;
    damaged[last] ^= 1;
    let bad = dir.join("damaged.pack");
    std::fs::write(&bad, &damaged).unwrap();
    let out = run(
        &[
            "check",
            "examples/acc-outpatient-child.json",
            "--pack",
            bad.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("checksum does not match") && err.lines().count() == 1,
        "{err}"
    );
    let out = run(
        &[
            "find",
            "tests/cases-finder/f1-worked-example.json",
            "--pack",
            bad.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    // A compiled pack is not compiled again.
    let out = run(&["pack", "compile", out_str, "-o", "-"], None);
    assert_eq!(out.status.code(), Some(2));
    std::fs::remove_dir_all(&dir).unwrap();
}
