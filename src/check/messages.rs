//! Finding messages: filling a pack message's `{placeholders}` with values, and the checker's own messages
//! for C00 (a missing or malformed claim field), in zh-CN and en.

use crate::claim::{Problem, Reason};
use crate::limits::MAX_MESSAGE_BYTES;
use crate::pack::def::Locale;
use crate::value::Value;

/// Replaces each `{name}` in `template` with the value's text (dates as YYYY-MM-DD, null as empty). Values
/// often repeat claim text (a diagnosis code, an invoice number, a file name), so each goes through
/// [`crate::echo::echo`]: any run of 13 or more digits (an ID or card number typed into the wrong field) is
/// masked and control characters are escaped. The template, which is the pack's own text, is kept as it is.
///
/// A message is at most [`MAX_MESSAGE_BYTES`] (plus `…`): placeholders are expanded with a running budget
/// and each value is written only as far as the budget reaches, so a pack whose message repeats a huge value
/// costs that bound, not gigabytes. A value is written [`SLACK`] bytes past the budget before masking, so a
/// number cut by the budget is masked as a whole or dropped with the cut part, never shown in part.
pub fn render(template: &str, values: &[(String, Value)]) -> String {
    let mut out = String::with_capacity(template.len().min(MAX_MESSAGE_BYTES) + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        if !push_within(&mut out, rest.get(..open).unwrap_or("")) {
            return out;
        }
        let after = rest.get(open + 1..).unwrap_or("");
        match after.find('}') {
            Some(close) => {
                let name = after.get(..close).unwrap_or("");
                let fits = match values.iter().find(|(k, _)| k == name) {
                    Some((_, Value::Null)) => true,
                    Some((_, v)) => {
                        let room = MAX_MESSAGE_BYTES.saturating_sub(out.len()) + SLACK;
                        push_within(&mut out, &crate::echo::echo(&v.to_js_string_within(room)))
                    }
                    None => push_within(&mut out, &format!("{{{name}}}")),
                };
                if !fits {
                    return out;
                }
                rest = after.get(close + 1..).unwrap_or("");
            }
            None => {
                if !push_within(&mut out, "{") {
                    return out;
                }
                rest = after;
            }
        }
    }
    push_within(&mut out, rest);
    out
}

/// Bytes a value is written past the message budget before it is masked (longer than any ID or card
/// number with separators, in full-width digits).
const SLACK: usize = 128;

/// Appends `piece` if the message stays within [`MAX_MESSAGE_BYTES`]; otherwise appends what fits (at a
/// character boundary) and `…`, and returns false.
fn push_within(out: &mut String, piece: &str) -> bool {
    let room = MAX_MESSAGE_BYTES.saturating_sub(out.len());
    if piece.len() <= room {
        out.push_str(piece);
        return true;
    }
    let mut end = room;
    while !piece.is_char_boundary(end) {
        end -= 1;
    }
    out.push_str(piece.get(..end).unwrap_or_default());
    out.push('…');
    false
}

/// The message of a C00 finding, naming the field in plain words.
pub fn c00_message(p: &Problem, locale: Locale) -> String {
    let field = crate::claim::labels::field_label(&p.path, locale);
    match (locale, &p.reason) {
        (Locale::Zh, Reason::Missing) => format!("请填写{field}，缺少这一项无法审核。"),
        (Locale::Zh, Reason::TooMany(max)) => {
            format!("{field}太多了：一份申请最多 {max} 条。请只保留这次理赔需要的，分开提交其余的。")
        }
        (Locale::Zh, r) => format!("{field}填写有误：{}。请改正后再提交。", r.zh()),
        (Locale::En, Reason::Missing) => format!("Please fill in {field}: the claim cannot be checked without it."),
        (Locale::En, Reason::TooMany(max)) => format!(
            "There are too many entries in {field}: a claim holds at most {max}. Please keep the ones this claim needs and file the others separately."
        ),
        (Locale::En, r) => {
            let mut f = field;
            if let Some(c) = f.get(..1) {
                f = c.to_ascii_uppercase() + f.get(1..).unwrap_or("");
            }
            format!("{f} is not right: {}. Please correct it.", r.en())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_placeholders() {
        let vals = vec![("days".to_string(), Value::Int(7)), ("none".to_string(), Value::Null)];
        assert_eq!(render("还差{days}天{none}，{unknown}", &vals), "还差7天，{unknown}");
        assert_eq!(render("a { b", &vals), "a { b");
    }

    #[test]
    fn messages_are_bounded() {
        let big = Value::array(vec![Value::str(&"x".repeat(1 << 20)); 1 << 12]);
        let vals = vec![
            ("big".to_string(), big),
            ("n".to_string(), Value::str("6225768888888888")),
        ];
        let m = render(&"{big}".repeat(1000), &vals);
        assert_eq!(m.len(), MAX_MESSAGE_BYTES + '…'.len_utf8());
        assert!(m.ends_with('…'));
        // A card number cut by the budget is never shown in part.
        for pad in MAX_MESSAGE_BYTES - 20..MAX_MESSAGE_BYTES {
            let m = render(&format!("{}{{n}} end", "周".repeat(pad / 3)), &vals);
            assert!(!m.contains("62257"), "{}", &m[m.len().saturating_sub(40)..]);
            assert!(m.len() <= MAX_MESSAGE_BYTES + 3);
        }
    }

    #[test]
    fn a_list_that_is_too_long_has_its_own_words() {
        let p = Problem {
            path: "invoices".into(),
            reason: Reason::TooMany(10_000),
        };
        assert_eq!(
            c00_message(&p, Locale::Zh),
            "发票太多了：一份申请最多 10000 条。请只保留这次理赔需要的，分开提交其余的。"
        );
        assert_eq!(
            c00_message(&p, Locale::En),
            "There are too many entries in the invoices: a claim holds at most 10000. Please keep the ones this claim needs and file the others separately."
        );
    }

    #[test]
    fn a_claim_with_too_many_documents_is_told_so_in_both_languages() {
        let docs = vec![r#"{"type": "D01"}"#; crate::claim::decode::MAX_LIST_LEN + 1].join(",");
        let claim = format!(r#"{{"schema": "preclaim/claim@1", "documents": [{docs}]}}"#);
        let checker = crate::check::Checker::with_defaults().unwrap();
        for (locale, want) in [
            (Locale::Zh, "上传的材料太多了：一份申请最多 10000 条。"),
            (
                Locale::En,
                "There are too many entries in the uploaded documents: a claim holds at most 10000.",
            ),
        ] {
            let report = checker.check_text(&claim, locale).unwrap().report;
            let findings = report.get("findings").and_then(Value::as_array).unwrap_or_default();
            let on_documents = findings
                .iter()
                .find(|f| f.get("fields").map(crate::json::write_value).as_deref() == Some(r#"["documents"]"#))
                .and_then(|f| f.get("message"))
                .and_then(Value::as_str)
                .unwrap();
            assert!(on_documents.starts_with(want), "{on_documents}");
        }
    }

    #[test]
    fn masks_personal_numbers_and_escapes_controls_in_values() {
        let vals = vec![
            ("code".to_string(), Value::str("6225768888888888")),
            ("file".to_string(), Value::str("id-110101198001010010.jpg\n\u{1b}[2J")),
        ];
        assert_eq!(
            render("{code}: 6225768888888888 {file}", &vals),
            "****************: 6225768888888888 id-******************.jpg\\n\\u001b[2J"
        );
    }
}
