//! A catalog [`Entry`] as a [`Value`] — `{"code", "name_zh"?, "name_en"?, "class"?, "self_pay_rate"?,
//! "price_cap"?, "match"?}` with the price cap in yuan text — the one JSON shape the CLI and the JS API print.

use super::entry::Entry;
use crate::domain::money::format_money;
use crate::value::Value;

/// The entry as an object; `matched` is how a search hit matched (`"code"`, `"name_prefix"`, ...).
pub fn entry_value(e: &Entry<'_>, matched: Option<&str>) -> Value {
    let mut m = vec![("code".into(), Value::str(e.code.as_str()))];
    let mut put = |k: &str, v: Option<&str>| {
        if let Some(v) = v {
            m.push((k.into(), Value::str(v)));
        }
    };
    put("name_zh", e.name_zh);
    put("name_en", e.name_en);
    if let Some(c) = e.class {
        put("class", Some(c.as_str()));
        put("self_pay_rate", Some(&e.self_pay_rate.to_string()));
    }
    put("price_cap", e.price_cap_fen.map(format_money).as_deref());
    put("match", matched);
    Value::object(m)
}
