//! Every limit the crate enforces on what comes from outside, in one place (SECURITY.md's table lists each
//! one and what happens past it; a test checks that every constant here is named there). Modules that
//! enforce a limit refer to these constants (some keep an alias under their old name). Domain ranges (the
//! largest amount of money, the last calendar day) are not limits and live with their types.
//!
//! What it does not do: enforce anything. Each limit is checked where the input is read.

// --- claims --------------------------------------------------------------------------------------------

/// Largest claim text (bytes), also the largest session claim (counted as JSON text) and the largest file
/// the CLI reads as a claim or finder input. Past it: `claim.too_large`.
pub const MAX_CLAIM_BYTES: usize = 64 << 20;
/// Deepest nesting of a claim's JSON (objects and arrays), session edits included. Past it: `claim.json`
/// (parsing) or `argument` (a session path and value).
pub const MAX_CLAIM_DEPTH: usize = 64;
/// Most JSON values in one claim (each object, array, string, number, `true`, `false`, `null` counts one),
/// counted while parsing, so a check's memory is proportional to its input. Past it: `claim.too_large`.
pub const MAX_CLAIM_VALUES: usize = 1_000_000;
/// Most entries in one list of a claim (invoices, items, documents, `history.used_invoices`, …). Past it:
/// a `C00` finding on the list.
pub const MAX_LIST_LEN: usize = 10_000;
/// Most records in all the lists of a claim together (invoices, their items, documents, diagnoses, …):
/// lists multiply (200 invoices of 10,000 items each). Past it: a `C00` finding on the list that goes over.
pub const MAX_RECORDS: usize = 20_000;

// --- sessions --------------------------------------------------------------------------------------------

/// Most segments in a session path (`invoices[0].items[2].amount` has five); the path's segments plus the
/// value's own nesting must also fit [`MAX_CLAIM_DEPTH`]. Past it: `argument`.
pub const MAX_PATH_SEGMENTS: usize = 64;
/// Longest session path text (bytes). Past it: `argument`.
pub const MAX_PATH_BYTES: usize = 4096;

// --- reports ---------------------------------------------------------------------------------------------

/// Longest rendered finding message (bytes): placeholders are expanded with a running budget and the text
/// is cut with `…` past it.
pub const MAX_MESSAGE_BYTES: usize = 64 << 10;
/// Most findings in one report (`C00` findings included). Past it: `check.limit`.
pub const MAX_FINDINGS: usize = 50_000;
/// Most text in one report's findings (messages and field paths, bytes) and unknown-field paths. Past it:
/// `check.limit`.
pub const MAX_REPORT_BYTES: usize = 16 << 20;

// --- evaluation ------------------------------------------------------------------------------------------

/// Evaluation steps for one claim (every rule, derived value and estimate step of its pack). Past it:
/// `check.budget`.
pub const CHECK_BUDGET: u64 = 5_000_000;
/// Evaluation steps of a single expression evaluated outside a check (`Expr::eval`).
pub const EXPR_BUDGET: u64 = 1_000_000;
/// Longest text `cat` may build (bytes). Past it: an evaluation error for that rule.
pub const MAX_TEXT_BYTES: usize = 1 << 20;
/// Longest list `merge` and `flatten` may build. Past it: an evaluation error for that rule.
pub const MAX_BUILT_LIST: usize = 1_000_000;
/// Most text `distinct` and `repeats` may write to compare a list's values (bytes). Past it: an evaluation
/// error for that rule.
pub const MAX_DISTINCT_BYTES: usize = 1 << 20;

// --- packs ----------------------------------------------------------------------------------------------

/// Largest pack text (bytes), also the largest `--pack` file the CLI reads. Past it: `pack.limit`.
pub const MAX_PACK_BYTES: usize = 8 << 20;
/// Deepest nesting of a pack's JSON. Past it: `pack.json`.
pub const MAX_PACK_DEPTH: usize = 256;
/// Deepest expression (JSONLogic tree or text-syntax parse). Past it: `pack.expr`.
pub const MAX_EXPR_DEPTH: usize = 200;
/// Longest text-syntax expression (bytes). Past it: `pack.expr`.
pub const MAX_EXPR_TEXT_BYTES: usize = 1 << 20;
/// Largest automaton of one `regex_match` pattern (its serialized sparse DFA, bytes, as the compiled pack
/// stores it; building stops at 16 times this). Past it: `pack.expr`, naming the pattern and the limit.
pub const MAX_PATTERN_DFA_BYTES: usize = 64 << 10;

// --- photos and catalogs -----------------------------------------------------------------------------------

/// Default largest photo (pixels, `Config::max_pixels`). Past it: a `QualityError`.
pub const MAX_PHOTO_PIXELS: u64 = 100_000_000;
/// Smallest side of a photo (pixels). Past it: a `QualityError`.
pub const MIN_PHOTO_SIDE: u32 = 32;
/// Largest ratio of a photo's long side to its short side. Past it: a `QualityError`.
pub const MAX_PHOTO_ASPECT: u32 = 20;
/// Largest photo file `assessFile` reads (bytes; checked from `file.size` before reading). Past it:
/// `photo.limit`.
pub const MAX_PHOTO_FILE_BYTES: usize = 64 << 20;
/// Largest catalog file the CLI reads (`--catalog`, `catalog info`; bytes). Past it: a one-line error.
pub const MAX_CATALOG_BYTES: usize = 256 << 20;
/// Longest code in a catalog (bytes). Past it: `catalog build` refuses the row; a look-up finds nothing.
pub const MAX_CATALOG_CODE_BYTES: usize = 32;
/// Longest name in a catalog (bytes). Past it: `catalog build` refuses the row.
pub const MAX_CATALOG_NAME_BYTES: usize = 1024;
/// Most distinct self-pay-first rates in one catalog (a 4-bit index per entry). Past it: `catalog build`
/// refuses the source.
pub const MAX_CATALOG_RATES: usize = 16;
/// Most entries one catalog search or prefix look-up returns (JS `limit`).
pub const MAX_CATALOG_RESULTS: u32 = 1000;

// --- the claim finder --------------------------------------------------------------------------------------

/// Most policy entries (and people) in a finder input. Past it: `finder.limit`.
pub const MAX_POLICIES: usize = 10_000;
/// Most claims one plan assembles. Past it: `finder.limit`.
pub const MAX_CLAIMS: usize = 200;
/// JSON values checked (claim size × checks) within which every filing order is tried.
pub const SEARCH_BUDGET: usize = 1_000_000;
/// JSON values checked in a plan's single pass. Past it: `finder.limit`.
pub const PLAN_BUDGET: usize = 4_000_000;
/// Most medical claims whose filing order is searched.
pub const MAX_SEARCHED: usize = 6;

/// Every limit by name, for `limits()` in JavaScript and the CLI (`preclaim limits`).
pub const ALL: &[(&str, u64)] = &[
    ("MAX_CLAIM_BYTES", MAX_CLAIM_BYTES as u64),
    ("MAX_CLAIM_DEPTH", MAX_CLAIM_DEPTH as u64),
    ("MAX_CLAIM_VALUES", MAX_CLAIM_VALUES as u64),
    ("MAX_LIST_LEN", MAX_LIST_LEN as u64),
    ("MAX_RECORDS", MAX_RECORDS as u64),
    ("MAX_PATH_SEGMENTS", MAX_PATH_SEGMENTS as u64),
    ("MAX_PATH_BYTES", MAX_PATH_BYTES as u64),
    ("MAX_MESSAGE_BYTES", MAX_MESSAGE_BYTES as u64),
    ("MAX_FINDINGS", MAX_FINDINGS as u64),
    ("MAX_REPORT_BYTES", MAX_REPORT_BYTES as u64),
    ("CHECK_BUDGET", CHECK_BUDGET),
    ("EXPR_BUDGET", EXPR_BUDGET),
    ("MAX_TEXT_BYTES", MAX_TEXT_BYTES as u64),
    ("MAX_BUILT_LIST", MAX_BUILT_LIST as u64),
    ("MAX_DISTINCT_BYTES", MAX_DISTINCT_BYTES as u64),
    ("MAX_PACK_BYTES", MAX_PACK_BYTES as u64),
    ("MAX_PACK_DEPTH", MAX_PACK_DEPTH as u64),
    ("MAX_EXPR_DEPTH", MAX_EXPR_DEPTH as u64),
    ("MAX_EXPR_TEXT_BYTES", MAX_EXPR_TEXT_BYTES as u64),
    ("MAX_PATTERN_DFA_BYTES", MAX_PATTERN_DFA_BYTES as u64),
    ("MAX_PHOTO_PIXELS", MAX_PHOTO_PIXELS),
    ("MIN_PHOTO_SIDE", MIN_PHOTO_SIDE as u64),
    ("MAX_PHOTO_ASPECT", MAX_PHOTO_ASPECT as u64),
    ("MAX_PHOTO_FILE_BYTES", MAX_PHOTO_FILE_BYTES as u64),
    ("MAX_CATALOG_BYTES", MAX_CATALOG_BYTES as u64),
    ("MAX_CATALOG_CODE_BYTES", MAX_CATALOG_CODE_BYTES as u64),
    ("MAX_CATALOG_NAME_BYTES", MAX_CATALOG_NAME_BYTES as u64),
    ("MAX_CATALOG_RATES", MAX_CATALOG_RATES as u64),
    ("MAX_CATALOG_RESULTS", MAX_CATALOG_RESULTS as u64),
    ("MAX_POLICIES", MAX_POLICIES as u64),
    ("MAX_CLAIMS", MAX_CLAIMS as u64),
    ("SEARCH_BUDGET", SEARCH_BUDGET as u64),
    ("PLAN_BUDGET", PLAN_BUDGET as u64),
    ("MAX_SEARCHED", MAX_SEARCHED as u64),
];

/// The limits as a JSON object `{"MAX_CLAIM_BYTES": 67108864, …}` (every value fits a JS number exactly).
pub fn to_json() -> String {
    let members = ALL
        .iter()
        .map(|(k, v)| {
            (
                std::sync::Arc::from(*k),
                crate::value::Value::Int(i64::try_from(*v).unwrap_or(i64::MAX)),
            )
        })
        .collect();
    crate::json::write_value(&crate::value::Value::object(members))
}

#[cfg(test)]
mod tests {
    /// The names of the `pub const` limits in this file.
    fn names() -> Vec<&'static str> {
        include_str!("limits.rs")
            .lines()
            .filter_map(|l| l.strip_prefix("pub const "))
            .filter_map(|l| l.split(':').next())
            .filter(|n| *n != "ALL")
            .collect()
    }

    #[test]
    fn every_limit_is_in_security_md_and_in_all() {
        let security = include_str!("../SECURITY.md");
        let names = names();
        assert!(names.len() >= 25, "{names:?}");
        for n in names {
            assert!(
                security.contains(&format!("`{n}`")),
                "SECURITY.md does not name the limit `{n}`"
            );
            assert!(super::ALL.iter().any(|(k, _)| *k == n), "limits::ALL lacks {n}");
        }
        assert!(super::to_json().contains("\"MAX_RECORDS\":20000"));
    }
}
