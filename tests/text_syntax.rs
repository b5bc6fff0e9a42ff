#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
//! The text syntax (src/expr/text.rs): what each form parses to (as JSONLogic), errors with their line and
//! column, round-trip stability through JSONLogic, the depth and length limits, and evaluation of the examples.

use preclaim::expr::ast::NodeKind;
use preclaim::expr::text::{parse, ParseError, MAX_DEPTH};
use preclaim::expr::{compile, jsonlogic, Node, OpenEnv};
use preclaim::json;
use preclaim::value::Value;

/// (text, expected JSONLogic in compact form).
const CASES: &[(&str, &str)] = &[
    // Literals.
    ("1", "1"),
    ("0", "0"),
    ("-7", "-7"),
    ("2.5", "2.5"),
    ("-0.25", "-0.25"),
    ("1e3", "1000"),
    ("9223372036854775807", "9223372036854775807"),
    ("-9223372036854775808", "-9223372036854775808"),
    (r#""illness""#, r#""illness""#),
    (r#"'it\'s'"#, r#""it's""#),
    (r#"'say "hi"'"#, r#""say \"hi\"""#),
    (r#""a\n\t\"\\\/\u00e9\ud83d\ude00""#, r#""a\n\t\"\\/é😀""#),
    ("true", "true"),
    ("false", "false"),
    ("null", "null"),
    ("[]", "[]"),
    ("[1, 'a', x]", r#"[1,"a",{"var":"x"}]"#),
    ("[1, 2,]", "[1,2]"),
    ("[[1], []]", "[[1],[]]"),
    // Paths.
    ("cause", r#"{"var":"cause"}"#),
    ("policy.effective_on", r#"{"var":"policy.effective_on"}"#),
    ("invoices[0].total", r#"{"var":"invoices.0.total"}"#),
    ("a.b[2]", r#"{"var":"a.b.2"}"#),
    ("a[1][2]", r#"{"var":"a.1.2"}"#),
    ("a.in.null", r#"{"var":"a.in.null"}"#),
    ("map", r#"{"var":"map"}"#),
    // Calls.
    ("now()", r#"{"now":[]}"#),
    ("abs(-3)", r#"{"abs":[-3]}"#),
    ("max(1, 2, 3,)", r#"{"max":[1,2,3]}"#),
    ("if(a, 1, 2)", r#"{"if":[{"var":"a"},1,2]}"#),
    ("var('a.b', 0)", r#"{"var":["a.b",0]}"#),
    ("sum(amounts)", r#"{"sum":[{"var":"amounts"}]}"#),
    ("sum()", r#"{"sum":[]}"#),
    (
        "days_between(policy.continuous_since, event.date)",
        r#"{"days_between":[{"var":"policy.continuous_since"},{"var":"event.date"}]}"#,
    ),
    // Unary.
    ("-x", r#"{"-":[{"var":"x"}]}"#),
    ("- 5", r#"{"-":[5]}"#),
    ("--5", r#"{"-":[-5]}"#),
    ("-(5)", r#"{"-":[5]}"#),
    ("-a.b * 2", r#"{"*":[{"-":[{"var":"a.b"}]},2]}"#),
    ("not a", r#"{"!":[{"var":"a"}]}"#),
    ("!a", r#"{"!":[{"var":"a"}]}"#),
    ("not not a", r#"{"!":[{"!":[{"var":"a"}]}]}"#),
    ("!!a", r#"{"!":[{"!":[{"var":"a"}]}]}"#),
    // Multiplicative.
    ("a * b * c", r#"{"*":[{"var":"a"},{"var":"b"},{"var":"c"}]}"#),
    ("a / b / c", r#"{"/":[{"/":[{"var":"a"},{"var":"b"}]},{"var":"c"}]}"#),
    ("a % b * c", r#"{"*":[{"%":[{"var":"a"},{"var":"b"}]},{"var":"c"}]}"#),
    (
        "a * b / c * d",
        r#"{"*":[{"/":[{"*":[{"var":"a"},{"var":"b"}]},{"var":"c"}]},{"var":"d"}]}"#,
    ),
    ("(a * b) * c", r#"{"*":[{"*":[{"var":"a"},{"var":"b"}]},{"var":"c"}]}"#),
    ("2 * -3", r#"{"*":[2,-3]}"#),
    // Additive.
    ("a + b + c", r#"{"+":[{"var":"a"},{"var":"b"},{"var":"c"}]}"#),
    ("a - b - c", r#"{"-":[{"-":[{"var":"a"},{"var":"b"}]},{"var":"c"}]}"#),
    (
        "a + b - c + d",
        r#"{"+":[{"-":[{"+":[{"var":"a"},{"var":"b"}]},{"var":"c"}]},{"var":"d"}]}"#,
    ),
    ("a - -1", r#"{"-":[{"var":"a"},-1]}"#),
    ("a-1", r#"{"-":[{"var":"a"},1]}"#),
    ("a + b * c", r#"{"+":[{"var":"a"},{"*":[{"var":"b"},{"var":"c"}]}]}"#),
    ("(a + b) * c", r#"{"*":[{"+":[{"var":"a"},{"var":"b"}]},{"var":"c"}]}"#),
    ("-a + 1", r#"{"+":[{"-":[{"var":"a"}]},1]}"#),
    // Coalesce.
    ("a ?? b ?? 0", r#"{"??":[{"var":"a"},{"var":"b"},0]}"#),
    ("a ?? b + 1", r#"{"??":[{"var":"a"},{"+":[{"var":"b"},1]}]}"#),
    // Comparisons.
    ("a == 1", r#"{"==":[{"var":"a"},1]}"#),
    ("a != 1", r#"{"!=":[{"var":"a"},1]}"#),
    ("a === 1", r#"{"===":[{"var":"a"},1]}"#),
    ("a !== 1", r#"{"!==":[{"var":"a"},1]}"#),
    ("a <= 1", r#"{"<=":[{"var":"a"},1]}"#),
    ("a >= 1", r#"{">=":[{"var":"a"},1]}"#),
    ("a > 1", r#"{">":[{"var":"a"},1]}"#),
    ("0 < a < 10", r#"{"<":[0,{"var":"a"},10]}"#),
    ("a == b == c", r#"{"==":[{"var":"a"},{"var":"b"},{"var":"c"}]}"#),
    (
        "a ?? 0 < b + 1",
        r#"{"<":[{"??":[{"var":"a"},0]},{"+":[{"var":"b"},1]}]}"#,
    ),
    (r#"code in ["A", "B"]"#, r#"{"in":[{"var":"code"},["A","B"]]}"#),
    (r#""x" in name"#, r#"{"in":["x",{"var":"name"}]}"#),
    ("(a < b) == true", r#"{"==":[{"<":[{"var":"a"},{"var":"b"}]},true]}"#),
    // Not, and, or.
    ("not a == b", r#"{"!":[{"==":[{"var":"a"},{"var":"b"}]}]}"#),
    ("!a == b", r#"{"!":[{"==":[{"var":"a"},{"var":"b"}]}]}"#),
    ("not a and b", r#"{"and":[{"!":[{"var":"a"}]},{"var":"b"}]}"#),
    ("a and b and c", r#"{"and":[{"var":"a"},{"var":"b"},{"var":"c"}]}"#),
    ("a or b or c", r#"{"or":[{"var":"a"},{"var":"b"},{"var":"c"}]}"#),
    (
        "a or b and c",
        r#"{"or":[{"var":"a"},{"and":[{"var":"b"},{"var":"c"}]}]}"#,
    ),
    (
        "a and b or c and d",
        r#"{"or":[{"and":[{"var":"a"},{"var":"b"}]},{"and":[{"var":"c"},{"var":"d"}]}]}"#,
    ),
    (
        "(a or b) and c",
        r#"{"and":[{"or":[{"var":"a"},{"var":"b"}]},{"var":"c"}]}"#,
    ),
    (
        "(a and b) and c",
        r#"{"and":[{"and":[{"var":"a"},{"var":"b"}]},{"var":"c"}]}"#,
    ),
    // Ternary.
    ("a ? 1 : 2", r#"{"if":[{"var":"a"},1,2]}"#),
    (
        "a ? 1 : b ? 2 : 3",
        r#"{"if":[{"var":"a"},1,{"if":[{"var":"b"},2,3]}]}"#,
    ),
    (
        "a ? b ? 1 : 2 : 3",
        r#"{"if":[{"var":"a"},{"if":[{"var":"b"},1,2]},3]}"#,
    ),
    (
        "a or b ? x + 1 : y",
        r#"{"if":[{"or":[{"var":"a"},{"var":"b"}]},{"+":[{"var":"x"},1]},{"var":"y"}]}"#,
    ),
    ("(a ? 1 : 2) + 3", r#"{"+":[{"if":[{"var":"a"},1,2]},3]}"#),
    // Comments and whitespace.
    ("a // first\n  + b // second\n", r#"{"+":[{"var":"a"},{"var":"b"}]}"#),
    ("\t[\r\n1\n]", "[1]"),
    // The brief's examples.
    (
        r#"days_between(policy.continuous_since, event.date) < params.waiting_days and cause == "illness""#,
        r#"{"and":[{"<":[{"days_between":[{"var":"policy.continuous_since"},{"var":"event.date"}]},{"var":"params.waiting_days"}]},{"==":[{"var":"cause"},"illness"]}]}"#,
    ),
    (
        r#"some(invoices, inv => inv.fund_paid > 0 and inv.visit == "outpatient")"#,
        r#"{"some":[{"var":"invoices"},{"and":[{">":[{"var":"fund_paid"},0]},{"==":[{"var":"visit"},"outpatient"]}]}]}"#,
    ),
    (
        "sum(invoices, inv => sum(inv.items, it => it.amount))",
        r#"{"sum":[{"var":"invoices"},{"sum":[{"var":"items"},{"var":"amount"}]}]}"#,
    ),
    (
        r#"count(invoices, inv => some(inv.items, it => it.class == "self" and inv.visit == visit_kind))"#,
        r#"{"count":[{"var":"invoices"},{"some":[{"var":"items"},{"and":[{"==":[{"var":"class"},"self"]},{"==":[{"val":[[2],"visit"]},{"val":[[4],"visit_kind"]}]}]}]}]}"#,
    ),
    (
        "reduce(items, (acc, x) => acc + x.amount, 0)",
        r#"{"reduce":[{"var":"items"},{"+":[{"var":"accumulator"},{"var":"current.amount"}]},0]}"#,
    ),
    (
        "filter(map(invoices, i => i.total), t => t > 100)",
        r#"{"filter":[{"map":[{"var":"invoices"},{"var":"total"}]},{">":[{"var":""},100]}]}"#,
    ),
    // A second lambda parameter names the element's index (one frame above the element).
    (
        "filter(xs, (x, i) => not (x in slice(xs, 0, i)))",
        r#"{"filter":[{"var":"xs"},{"!":[{"in":[{"var":""},{"slice":[{"val":[[2],"xs"]},0,{"val":[[1],"index"]}]}]}]}]}"#,
    ),
    (
        "map(xs, (x, i) => map(ys, (y, j) => i * 10 + j))",
        r#"{"map":[{"var":"xs"},{"map":[{"val":[[2],"ys"]},{"+":[{"*":[{"val":[[3],"index"]},10]},{"val":[[1],"index"]}]}]}]}"#,
    ),
    // Lambdas and scopes.
    ("map(xs, x => x)", r#"{"map":[{"var":"xs"},{"var":""}]}"#),
    (
        "map(xs, (x) => x * 2,)",
        r#"{"map":[{"var":"xs"},{"*":[{"var":""},2]}]}"#,
    ),
    ("map(xs, x => x[0].a)", r#"{"map":[{"var":"xs"},{"var":"0.a"}]}"#),
    (
        "all(xs, x => x > limit)",
        r#"{"all":[{"var":"xs"},{">":[{"var":""},{"val":[[2],"limit"]}]}]}"#,
    ),
    (
        "none(xs, x => a.b[1])",
        r#"{"none":[{"var":"xs"},{"val":[[2],"a","b",1]}]}"#,
    ),
    (
        "find(xs, x => x.id == 3)",
        r#"{"find":[{"var":"xs"},{"==":[{"var":"id"},3]}]}"#,
    ),
    (
        "map(xs, x => map(x.ys, y => x))",
        r#"{"map":[{"var":"xs"},{"map":[{"var":"ys"},{"val":[[2]]}]}]}"#,
    ),
    (
        "map(xs, x => map(x.ys, y => x.k[0] + y))",
        r#"{"map":[{"var":"xs"},{"map":[{"var":"ys"},{"+":[{"val":[[2],"k",0]},{"var":""}]}]}]}"#,
    ),
    (
        "map(a, x => map(b, y => y))",
        r#"{"map":[{"var":"a"},{"map":[{"val":[[2],"b"]},{"var":""}]}]}"#,
    ),
    // Shadowing: the inner `x` hides the outer one.
    (
        "map(xs, x => map(x.ys, x => x))",
        r#"{"map":[{"var":"xs"},{"map":[{"var":"ys"},{"var":""}]}]}"#,
    ),
    (
        "map(a, x => map(x.b, y => map(y.c, z => x.p + y + z + r)))",
        r#"{"map":[{"var":"a"},{"map":[{"var":"b"},{"map":[{"var":"c"},{"+":[{"val":[[4],"p"]},{"val":[[2]]},{"var":""},{"val":[[6],"r"]}]}]}]}]}"#,
    ),
    (
        "reduce(xs, (acc, x) => map(x.ys, y => acc + y + x.k))",
        r#"{"reduce":[{"var":"xs"},{"map":[{"var":"current.ys"},{"+":[{"val":[[2],"accumulator"]},{"var":""},{"val":[[2],"current","k"]}]}]}]}"#,
    ),
    (
        "map(xs, x => reduce(x.ys, (acc, y) => acc + y * x.rate + base, 0))",
        r#"{"map":[{"var":"xs"},{"reduce":[{"var":"ys"},{"+":[{"var":"accumulator"},{"*":[{"var":"current"},{"val":[[2],"rate"]}]},{"val":[[4],"base"]}]},0]}]}"#,
    ),
    // The source and the initial value of an iterator are in the outer scope.
    (
        "map(xs, x => reduce(x.ys, (a, y) => a + y, x.start))",
        r#"{"map":[{"var":"xs"},{"reduce":[{"var":"ys"},{"+":[{"var":"accumulator"},{"var":"current"}]},{"var":"start"}]}]}"#,
    ),
    (
        "reduce(xs, (a, b) => a + b)",
        r#"{"reduce":[{"var":"xs"},{"+":[{"var":"accumulator"},{"var":"current"}]}]}"#,
    ),
    (
        "map(xs, x => x > 0 ? x : -x)",
        r#"{"map":[{"var":"xs"},{"if":[{">":[{"var":""},0]},{"var":""},{"-":[{"var":""}]}]}]}"#,
    ),
    ("map(xs, x => [x, 1])", r#"{"map":[{"var":"xs"},[{"var":""},1]]}"#),
];

fn canonical(jsonlogic_text: &str) -> String {
    let n = jsonlogic::parse_text(jsonlogic_text).unwrap_or_else(|e| panic!("bad expected {jsonlogic_text}: {e:?}"));
    jsonlogic::to_text(&n)
}

fn parse_ok(text: &str) -> Node {
    parse(text).unwrap_or_else(|e| panic!("{text:?} failed: {e}"))
}

#[test]
fn every_case_parses_to_its_jsonlogic() {
    let mut bad = Vec::new();
    for (text, want) in CASES {
        let got = jsonlogic::to_text(&parse_ok(text));
        if got != canonical(want) {
            bad.push(format!("{text}\n   got  {got}\n   want {want}"));
        }
    }
    assert!(bad.is_empty(), "{} mismatches:\n{}", bad.len(), bad.join("\n"));
}

#[test]
fn expected_jsonlogic_is_byte_stable() {
    // JSONLogic → AST → JSONLogic is byte-identical for every expected form.
    for (_, want) in CASES {
        assert_eq!(canonical(want), *want);
    }
}

#[test]
fn text_to_jsonlogic_and_back_gives_the_same_tree() {
    for (text, _) in CASES {
        let first = parse_ok(text);
        let printed = jsonlogic::to_text(&first);
        let again = jsonlogic::parse_text(&printed).unwrap();
        assert_eq!(again.without_pos(), first.without_pos(), "{text}");
        assert_eq!(jsonlogic::to_text(&again), printed, "{text}");
    }
}

#[test]
fn every_case_compiles() {
    for (text, _) in CASES {
        let n = parse_ok(text);
        // `now` is not an operator, and `sum()` calls a claim function with too few arguments: the compiler
        // (not the parser) rejects them.
        let r = compile(&n, &OpenEnv);
        if text.starts_with("now") {
            assert!(r.is_err());
        } else if *text == "sum()" {
            assert!(r.is_err_and(|e| e.message.contains("`sum` takes 1 to 2 arguments, not 0")));
        } else {
            assert!(r.is_ok(), "{text}: {:?}", r.err());
        }
    }
}

/// (text, line, column, message).
#[rustfmt::skip]
const ERRORS: &[(&str, u32, u32, &str)] = &[
    ("(a +\n b", 2, 3, "expected `)`, found end of input"),
    // Found by the text_syntax fuzz target (8 December): `preserve(...)` held an expression that printed as
    // data, a different tree when read back.
    ("1 + preserve(a - 7)", 1, 5, "`preserve` is JSONLogic's way of writing data; in the text syntax write the value itself (`[1, 2]`, `'text'`)"),
    ("preserve()", 1, 1, "`preserve` is JSONLogic's way of writing data; in the text syntax write the value itself (`[1, 2]`, `'text'`)"),
    ("(a +\n", 2, 1, "expected an expression, found end of input"),
    ("a < b <= c", 1, 7, "expected `<` or the end of the comparison, found `<=`"),
    ("a == b != c", 1, 8, "expected `==` or the end of the comparison, found `!=`"),
    ("a in b in c", 1, 8, "expected the end of the `in` test, found `in`"),
    ("1 +", 1, 4, "expected an expression, found end of input"),
    ("* 2", 1, 1, "expected an expression, found `*`"),
    ("a + # b", 1, 5, "expected an expression, found `#`"),
    ("a\n  # b", 2, 3, "expected an operator or end of input, found `#`"),
    ("a && b", 1, 3, "expected an operator or end of input, found `&&`"),
    ("a = 1", 1, 3, "expected an operator or end of input, found `=`"),
    ("a b", 1, 3, "expected an operator or end of input, found `b`"),
    ("", 1, 1, "expected an expression, found end of input"),
    ("   // only a comment", 1, 21, "expected an expression, found end of input"),
    ("f(a b)", 1, 5, "expected `,` or `)`, found `b`"),
    ("[1, 2", 1, 6, "expected `,` or `]`, found end of input"),
    ("[1,,2]", 1, 4, "expected an expression, found `,`"),
    ("a ? b", 1, 6, "expected `:`, found end of input"),
    ("a and or b", 1, 7, "expected an expression, found `or`"),
    ("a == not b", 1, 6, "expected an expression, found `not`"),
    ("a.", 1, 3, "expected a field name after `.`, found end of input"),
    ("a.0", 1, 3, "expected a field name after `.`, found `0`"),
    ("a[i]", 1, 3, "expected an integer index like `[0]`, found `i`"),
    ("a[-1]", 1, 3, "expected an integer index like `[0]`, found `-`"),
    ("a[0", 1, 4, "expected `]`, found end of input"),
    ("f(x)[0]", 1, 5, "expected an operator or end of input, found `[`"),
    ("f(x).a", 1, 5, "expected an operator or end of input, found `.`"),
    // Lambdas outside iterators.
    ("x => x", 1, 1, LAMBDA_MISPLACED),
    ("1 +\n  (a, b) => a", 2, 3, LAMBDA_MISPLACED),
    ("f(xs, x => x)", 1, 7, LAMBDA_MISPLACED),
    ("map(x => x, xs)", 1, 5, LAMBDA_MISPLACED),
    ("map(xs, x => y => 1)", 1, 14, LAMBDA_MISPLACED),
    // Iterator bodies must be lambdas.
    ("map(xs, 1)", 1, 9, "expected a lambda like `x => ...`, found `1`"),
    ("sum(xs, x.amount)", 1, 9, "expected a lambda like `x => ...`, found `x`"),
    ("reduce(xs, x => x, 0)", 1, 12, "expected a lambda with two parameters like `(acc, x) => ...`, found 1 parameter"),
    ("reduce(xs, x + 1, 0)", 1, 12, "expected a lambda like `(acc, x) => ...`, found `x`"),
    ("reduce(xs, (x) => x, 0)", 1, 12, "expected a lambda with two parameters like `(acc, x) => ...`, found 1 parameter"),
    ("map(xs, (a, b, c) => a)", 1, 9, "expected a lambda with one parameter like `x => ...`, found 3 parameters"),
    ("map(xs, () => 1)", 1, 9, "expected a lambda with one parameter like `x => ...`, found 0 parameters"),
    ("reduce(xs, (a, a) => a)", 1, 16, "expected a parameter name different from `a`, found `a`"),
    ("map(xs)", 1, 7, "expected `,`, found `)`"),
    ("sum(xs x)", 1, 8, "expected `,` or `)`, found `x`"),
    ("map(xs, x => x", 1, 15, "expected `)`, found end of input"),
    ("reduce(xs, (a, x) => a", 1, 23, "expected `,` or `)`, found end of input"),
    ("map(xs, x => x, 1)", 1, 17, "expected `)`, found `1`"),
    // Literals.
    ("99999999999999999999", 1, 1, "expected an integer between -9223372036854775808 and 9223372036854775807, found `99999999999999999999`"),
    ("-9223372036854775809", 1, 1, "expected an integer between -9223372036854775808 and 9223372036854775807, found `-9223372036854775809`"),
    ("1e999", 1, 1, "expected a finite number, found `1e999`"),
    ("007", 1, 1, "expected a number without leading zeros, found `007`"),
    ("12abc", 1, 1, "expected a number, found `12abc`"),
    ("\"abc", 1, 5, "expected a closing `\"`, found end of input"),
    ("'abc\n'", 1, 5, "expected a closing `'`, found end of line"),
    (r#""a\qb""#, 1, 3, "expected an escape like `\\n`, `\\\"` or `\\u00e9`, found `\\q`"),
    (r#""it\'s""#, 1, 4, "expected an escape like `\\n`, `\\\"` or `\\u00e9`, found `\\'`"),
    ("\"a\tb\"", 1, 3, "expected a string character, found control character U+0009 (write it as an escape)"),
    (r#""\ud800x""#, 1, 2, "expected a Unicode escape `\\uXXXX` (a surrogate pair for characters beyond U+FFFF), found an invalid one"),
    (r#""\u12""#, 1, 2, "expected a Unicode escape `\\uXXXX` (a surrogate pair for characters beyond U+FFFF), found an invalid one"),
    // The first error in the text wins over a later malformed token.
    ("* \"abc", 1, 1, "expected an expression, found `*`"),
    ("1 + \"abc", 1, 9, "expected a closing `\"`, found end of input"),
    // Columns count characters, not bytes.
    ("\"王某\" ==\n  \"王\" # x", 2, 7, "expected an operator or end of input, found `#`"),
    ("a + 王", 1, 5, "expected an expression, found `王`"),
];

const LAMBDA_MISPLACED: &str = "expected an expression, found a lambda (lambdas are only allowed as the body of map, \
                                filter, all, some, none, count, find, sum and reduce)";

#[test]
fn errors_have_their_line_column_and_message() {
    let mut bad = Vec::new();
    for (text, line, col, msg) in ERRORS {
        match parse(text) {
            Ok(n) => bad.push(format!("{text:?}: parsed to {}", jsonlogic::to_text(&n))),
            Err(e) => {
                if (e.line, e.col, e.message.as_str()) != (*line, *col, *msg) {
                    bad.push(format!(
                        "{text:?}\n   got  {}:{} {}\n   want {line}:{col} {msg}",
                        e.line, e.col, e.message
                    ));
                }
                let lc = json::line_col(text, e.pos as usize);
                assert_eq!(
                    (lc.line, lc.col),
                    (e.line, e.col),
                    "{text:?}: pos and line/col disagree"
                );
            }
        }
    }
    assert!(bad.is_empty(), "{} mismatches:\n{}", bad.len(), bad.join("\n"));
}

#[test]
fn error_display() {
    let e = parse("(a +\n b").unwrap_err();
    assert_eq!(e.to_string(), "line 2, column 3: expected `)`, found end of input");
    assert_eq!(e.pos, 7);
    let e: Box<dyn std::error::Error> = Box::new(ParseError {
        pos: 0,
        line: 1,
        col: 1,
        message: "m".into(),
    });
    assert_eq!(e.to_string(), "line 1, column 1: m");
}

fn nest(open: &str, inner: &str, close: &str, n: usize) -> String {
    format!("{}{inner}{}", open.repeat(n), close.repeat(n))
}

#[test]
fn deep_nesting_is_a_clean_error() {
    let deep = nest("(", "1", ")", 10_000);
    let e = parse(&deep).unwrap_err();
    assert_eq!((e.line, e.col), (1, MAX_DEPTH as u32 + 1));
    assert_eq!(e.message, "expected at most 200 levels of nesting, found more");
    for (open, close) in [
        ("[", "]"),
        ("-", ""),
        ("not ", ""),
        ("!", ""),
        ("f(", ")"),
        ("a ? 1 : ", ""),
    ] {
        let text = nest(open, "1", close, 10_000);
        assert!(parse(&text).is_err(), "{open}");
    }
    let lambdas = nest("map(xs, x => ", "x", ")", 10_000);
    assert!(parse(&lambdas).is_err());
    let unclosed = "(".repeat(100_000);
    assert!(parse(&unclosed).is_err());
}

#[test]
fn nesting_up_to_the_limit_parses() {
    // Run in a thread with a modest stack to show the parser's frames are small.
    let h = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            for (open, close) in [("(", ")"), ("[", "]"), ("f(", ")"), ("-", ""), ("not ", "")] {
                let ok = nest(open, "x", close, MAX_DEPTH);
                assert!(parse(&ok).is_ok(), "{open} x {MAX_DEPTH}");
                let too_deep = nest(open, "x", close, MAX_DEPTH + 1);
                assert!(parse(&too_deep).is_err(), "{open} x {}", MAX_DEPTH + 1);
            }
            let mixed = nest("f([-(", "1", ")])", MAX_DEPTH / 4);
            assert!(parse(&mixed).is_ok());
            let lambdas = nest("map(xs, x => ", "x", ")", MAX_DEPTH / 2);
            assert!(parse(&lambdas).is_ok());
        })
        .unwrap();
    h.join().unwrap();
}

#[test]
fn long_flat_input_parses() {
    let text = vec!["1"; 100_000].join(" + ");
    let n = parse(&text).unwrap();
    match n.kind {
        NodeKind::Op { name, args, .. } => {
            assert_eq!(name, "+");
            assert_eq!(args.len(), 100_000);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn input_longer_than_a_mebibyte_is_an_error() {
    let text = format!("1{}", " ".repeat(1 << 20));
    let e = parse(&text).unwrap_err();
    assert!(
        e.message
            .starts_with("expected at most 1048576 bytes of input, found 1048577 bytes"),
        "{}",
        e.message
    );
    let just = format!("1{}", " ".repeat((1 << 20) - 1));
    assert!(parse(&just).is_ok());
}

#[test]
fn nodes_keep_the_offset_of_their_first_token() {
    let text = "a + -2 * f(b.c, [x])";
    let n = parse(text).unwrap();
    assert_eq!(n.pos, 0);
    let NodeKind::Op { args, .. } = &n.kind else { panic!() };
    assert_eq!(args[0].pos, 0);
    assert_eq!(args[1].pos, 4); // the product starts at `-2`
    let NodeKind::Op { args: prod, .. } = &args[1].kind else {
        panic!()
    };
    assert_eq!(prod[0].pos, 4);
    assert_eq!(prod[1].pos, 9); // f(...)
    let NodeKind::Op { args: call, .. } = &prod[1].kind else {
        panic!()
    };
    assert_eq!(call[0].pos, 11); // b.c
    assert_eq!(call[1].pos, 16); // [x]
    let NodeKind::List(items) = &call[1].kind else { panic!() };
    assert_eq!(items[0].pos, 17);

    let n = parse("x\n  ? (y)\n  : not z").unwrap();
    let NodeKind::Op { args, .. } = &n.kind else { panic!() };
    assert_eq!(args.iter().map(|a| a.pos).collect::<Vec<_>>(), vec![0, 6, 14]);

    // A parenthesised expression starts at its `(`.
    let n = parse("(a + b) * c").unwrap();
    let NodeKind::Op { args, .. } = &n.kind else { panic!() };
    assert_eq!((n.pos, args[0].pos, args[1].pos), (0, 0, 10));

    // A compile error points into the text: the node of an unknown operator.
    let n = parse("1 + nope(2)").unwrap();
    assert_eq!(compile(&n, &OpenEnv).err().map(|e| e.pos), Some(4));
}

fn data(j: &str) -> Value {
    Value::from_json(&json::parse(j).unwrap())
}

fn eval(text: &str, d: &str) -> Value {
    let n = parse_ok(text);
    let e = compile(&n, &OpenEnv).unwrap_or_else(|err| panic!("{text}: {err}"));
    e.eval(&data(d)).unwrap_or_else(|err| panic!("{text}: {err}"))
}

const CLAIM: &str = r#"{
  "policy": {"continuous_since": "2024-01-01", "effective_on": "2024-01-01"},
  "event": {"date": "2024-01-20"},
  "params": {"waiting_days": 30},
  "cause": "illness",
  "visit_kind": "inpatient",
  "invoices": [
    {"total": 50, "fund_paid": 0, "visit": "outpatient",
     "items": [{"amount": 20, "class": "self"}, {"amount": 30, "class": "fund"}]},
    {"total": 150, "fund_paid": 10, "visit": "outpatient",
     "items": [{"amount": 100, "class": "fund"}, {"amount": 50, "class": "fund"}]},
    {"total": 300, "fund_paid": 0, "visit": "inpatient",
     "items": [{"amount": 300, "class": "self"}]},
    {"total": 500, "fund_paid": 5, "visit": "inpatient",
     "items": [{"amount": 500, "class": "fund"}]}
  ],
  "items": [{"amount": 1}, {"amount": 2}, {"amount": 4}]
}"#;

/// (text, expected result as JSON).
const EVALS: &[(&str, &str)] = &[
    (
        r#"days_between(policy.continuous_since, event.date) < params.waiting_days and cause == "illness""#,
        "true",
    ),
    (
        r#"some(invoices, inv => inv.fund_paid > 0 and inv.visit == "outpatient")"#,
        "true",
    ),
    (
        r#"some(invoices, inv => inv.fund_paid > 10 and inv.visit == "outpatient")"#,
        "false",
    ),
    ("sum(invoices, inv => sum(inv.items, it => it.amount))", "1000"),
    // Reaches back to the outer binder (`inv.visit`) and to the root (`visit_kind`): only the third invoice.
    (
        r#"count(invoices, inv => some(inv.items, it => it.class == "self" and inv.visit == visit_kind))"#,
        "1",
    ),
    (
        r#"count(invoices, inv => some(inv.items, it => it.class == "self"))"#,
        "2",
    ),
    ("reduce(items, (acc, x) => acc + x.amount, 0)", "7"),
    ("map(invoices, (inv, i) => i)", "[0,1,2,3]"),
    (
        "map(invoices, (inv, i) => count(inv.items, (it, j) => j < i))",
        "[0,1,1,1]",
    ),
    ("reduce(items, (acc, x) => acc + x.amount, 10)", "17"),
    ("filter(map(invoices, i => i.total), t => t > 100)", "[150,300,500]"),
    (
        "map(invoices, inv => map(inv.items, it => it.amount - inv.total))",
        "[[-30,-20],[-50,-100],[0],[0]]",
    ),
    ("map(invoices, inv => inv.total / 4)", "[12.5,37.5,75,125]"),
    ("map(items, x => x.amount + params.waiting_days)", "[31,32,34]"),
    (
        "find(invoices, inv => inv.total > 200)",
        r#"{"total":300,"fund_paid":0,"visit":"inpatient","items":[{"amount":300,"class":"self"}]}"#,
    ),
    (
        "all(items, x => x.amount < 5) and none(items, x => x.amount == 3)",
        "true",
    ),
    ("invoices[1].items[0].amount", "100"),
    ("invoices[9].total ?? -1", "-1"),
    (
        "map(items, x => x.amount > 1 ? 'big' : 'small')",
        r#"["small","big","big"]"#,
    ),
    (
        "map(items, x => reduce(items, (acc, y) => acc + y.amount * x.amount, 0))",
        "[7,14,28]",
    ),
    // Shadowing.
    ("map(invoices, x => count(x.items, x => x.amount >= 100))", "[0,1,1,1]"),
    ("sum(map(items, x => x.amount))", "7"),
    ("sum([1, 2, 3])", "6"),
    ("1 + 2 * 3 - -4 % 3", "8"),
    ("10 - 2 - 3", "5"),
    ("not 1 < 2 < 3", "false"),
    ("cause in ['injury', 'illness']", "true"),
    (r#"'ill' in cause"#, "true"),
    (r#""\u738b" == '王'"#, "true"),
];

#[test]
fn examples_evaluate() {
    let mut bad = Vec::new();
    for (text, want) in EVALS {
        let got = eval(text, CLAIM);
        if got != data(want) {
            bad.push(format!("{text}\n   got  {}\n   want {want}", json::write_value(&got)));
        }
    }
    assert!(bad.is_empty(), "{} mismatches:\n{}", bad.len(), bad.join("\n"));
}

#[test]
fn evaluation_matches_the_jsonlogic_form() {
    for (text, _) in EVALS {
        let n = parse_ok(text);
        let via = jsonlogic::parse_text(&jsonlogic::to_text(&n)).unwrap();
        let d = data(CLAIM);
        let a = compile(&n, &OpenEnv).unwrap().eval(&d).unwrap();
        let b = compile(&via, &OpenEnv).unwrap().eval(&d).unwrap();
        assert_eq!(a, b, "{text}");
    }
}

#[test]
fn token_soup_never_panics_and_round_trips_when_it_parses() {
    const PIECES: &[&str] = &[
        "a",
        "b.c",
        "x",
        "[0]",
        "(",
        ")",
        "[",
        "]",
        ",",
        "?",
        ":",
        "??",
        "+",
        "-",
        "*",
        "/",
        "%",
        "!",
        "not ",
        " and ",
        " or ",
        " in ",
        "==",
        "<",
        "<=",
        "1",
        "-2",
        "3.5",
        "'s'",
        "\"t\\n\"",
        "map(",
        "reduce(",
        "sum(",
        "x => ",
        "(a, x) => ",
        "f(",
        "true",
        "null",
        "//c\n",
        "\n",
        "#",
        "\"",
        "\\",
        "王",
        "1e5",
        "09",
    ];
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let mut parsed = 0;
    for _ in 0..20_000 {
        let len = 1 + next(12);
        let text: String = (0..len).map(|_| PIECES[next(PIECES.len())]).collect();
        match parse(&text) {
            Ok(n) => {
                parsed += 1;
                let back = jsonlogic::parse_text(&jsonlogic::to_text(&n)).unwrap();
                assert_eq!(back.without_pos(), n.without_pos(), "{text:?}");
                let _ = compile(&n, &OpenEnv);
            }
            Err(e) => {
                let lc = json::line_col(&text, e.pos as usize);
                assert_eq!((lc.line, lc.col), (e.line, e.col), "{text:?}");
                assert!(e.message.starts_with("expected "), "{text:?}: {}", e.message);
                assert!(
                    e.pos as usize <= text.len() && text.is_char_boundary(e.pos as usize),
                    "{text:?}"
                );
            }
        }
    }
    assert!(parsed > 100, "only {parsed} parsed");
}
