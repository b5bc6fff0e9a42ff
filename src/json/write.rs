//! Writing [`Value`]s as JSON text, deterministically: members in their order, numbers as JavaScript's
//! `JSON.stringify` prints them (so native, Node and browser output are the same bytes), dates as strings,
//! non-finite numbers as `null`.

use super::float_text::push_js_number;
use crate::value::Value;

/// Compact JSON.
pub fn write_value(v: &Value) -> String {
    let mut out = String::new();
    write_into(&mut out, v, None, 0);
    out
}

/// JSON indented by two spaces, as the CLI prints reports.
pub fn write_value_pretty(v: &Value) -> String {
    let mut out = String::new();
    write_into(&mut out, v, Some(2), 0);
    out
}

/// Appends a JSON string literal.
pub fn write_string(out: &mut String, s: &str) {
    out.reserve(s.len() + 2);
    out.push('"');
    // Runs of characters that need no escape are copied whole (they end at ASCII bytes, so every slice
    // boundary is a character boundary).
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let esc = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(s.get(start..i).unwrap_or_default());
        if esc.is_empty() {
            // `\u00XX` for the other control characters (no formatting machinery for two hex digits).
            out.push_str("\\u00");
            out.push(hex_digit(b >> 4));
            out.push(hex_digit(b & 15));
        } else {
            out.push_str(esc);
        }
        start = i + 1;
    }
    out.push_str(s.get(start..).unwrap_or_default());
    out.push('"');
}

/// A hex digit in lower case, for `n < 16`.
fn hex_digit(n: u8) -> char {
    char::from(if n < 10 { b'0' + n } else { b'a' + n - 10 })
}

fn newline(out: &mut String, indent: Option<usize>, level: usize) {
    if let Some(n) = indent {
        out.push('\n');
        for _ in 0..n * level {
            out.push(' ');
        }
    }
}

fn write_into(out: &mut String, v: &Value, indent: Option<usize>, level: usize) {
    match v {
        Value::Null | Value::Malformed => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::Float(f) if !f.is_finite() => out.push_str("null"),
        Value::Float(f) => push_js_number(out, *f),
        Value::Str(s) => write_string(out, s),
        Value::Date(d) => write_string(out, &crate::domain::date::format_date(*d)),
        Value::Array(a) => {
            if a.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, indent, level + 1);
                write_into(out, x, indent, level + 1);
            }
            newline(out, indent, level);
            out.push(']');
        }
        Value::Object(m) => {
            if m.is_empty() {
                out.push_str("{}");
                return;
            }
            out.push('{');
            for (i, (k, x)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, indent, level + 1);
                write_string(out, k);
                out.push(':');
                if indent.is_some() {
                    out.push(' ');
                }
                write_into(out, x, indent, level + 1);
            }
            newline(out, indent, level);
            out.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_like_javascript() {
        // The digits' layout is float_text's (tested there); here, what the JSON writer adds around it.
        let v = Value::array(vec![
            Value::Float(1e21),
            Value::Float(-2.5),
            Value::Float(-0.0),
            Value::Float(f64::NAN),
            Value::Float(f64::NEG_INFINITY),
            Value::Int(i64::MIN),
        ]);
        assert_eq!(write_value(&v), "[1e+21,-2.5,0,null,null,-9223372036854775808]");
    }

    #[test]
    fn writes_compact_and_pretty() {
        let v = Value::object(vec![
            ("a".into(), Value::array(vec![Value::Int(1), Value::str("x\"")])),
            ("b".into(), Value::Null),
        ]);
        assert_eq!(write_value(&v), r#"{"a":[1,"x\""],"b":null}"#);
        assert_eq!(
            write_value_pretty(&v),
            "{\n  \"a\": [\n    1,\n    \"x\\\"\"\n  ],\n  \"b\": null\n}"
        );
    }
}

#[cfg(test)]
mod escape_tests {
    use super::write_string;

    #[test]
    fn strings_escape_as_json_stringify_does() {
        let all_controls: String = (0u8..0x20).map(char::from).collect();
        for s in [
            "",
            "plain",
            "引号\"和\\反斜杠",
            "a\nb\rc\td\u{8}\u{c}",
            "😀 end",
            "\u{7f}\u{2028}",
            &all_controls,
        ] {
            let mut out = String::new();
            write_string(&mut out, s);
            assert_eq!(out, serde_json::to_string(s).unwrap(), "{s:?}");
        }
    }
}
