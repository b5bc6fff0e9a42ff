//! The values a catalog holds: its [`Kind`], an [`Entry`] (code, names, and for items the [`ItemClass`], the
//! self-pay-first [`Rate`] and an optional price cap in fen) and the [`Row`] a builder takes. No I/O here.

use std::fmt;

use super::format::MAX_CODE_LEN;
use crate::domain::money::{parse_ratio, Ratio};

/// What a catalog lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Diagnosis codes (ICD-10) with Chinese and English names.
    Diagnosis,
    /// Drugs, consumables and services of the medical-insurance catalog, each with a class.
    Item,
}

impl Kind {
    pub(crate) fn byte(self) -> u8 {
        match self {
            Kind::Diagnosis => 1,
            Kind::Item => 2,
        }
    }

    pub(crate) fn from_byte(b: u8) -> Option<Kind> {
        match b {
            1 => Some(Kind::Diagnosis),
            2 => Some(Kind::Item),
            _ => None,
        }
    }

    /// `"diagnosis"` or `"drug"` (the CLI's `--kind` names).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Diagnosis => "diagnosis",
            Kind::Item => "drug",
        }
    }

    /// Parses `diagnosis`/`icd10` or `drug`/`item`.
    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "diagnosis" | "icd10" => Some(Kind::Diagnosis),
            "drug" | "item" => Some(Kind::Item),
            _ => None,
        }
    }
}

/// The catalog class of a drug, consumable or service (domain §3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemClass {
    /// 甲类: no self-pay-first share.
    A,
    /// 乙类: the insured first pays the entry's self-pay-first rate.
    B,
    /// Outside the catalog ("丙类", 自费): fully self-paid.
    SelfPay,
}

impl ItemClass {
    pub(crate) fn bits(self) -> u8 {
        match self {
            ItemClass::A => 0,
            ItemClass::B => 1,
            ItemClass::SelfPay => 2,
        }
    }

    pub(crate) fn from_bits(b: u8) -> Option<ItemClass> {
        match b {
            0 => Some(ItemClass::A),
            1 => Some(ItemClass::B),
            2 => Some(ItemClass::SelfPay),
            _ => None,
        }
    }

    /// `"A"`, `"B"` or `"self"` (the values of claim@1 `items[].class`).
    pub fn as_str(self) -> &'static str {
        match self {
            ItemClass::A => "A",
            ItemClass::B => "B",
            ItemClass::SelfPay => "self",
        }
    }

    /// Parses `A`/`甲`/`甲类`, `B`/`乙`/`乙类`, `self`/`C`/`丙`/`丙类`/`自费` (ASCII case-insensitive).
    pub fn parse(s: &str) -> Option<ItemClass> {
        match s.trim().to_ascii_lowercase().as_str() {
            "a" | "甲" | "甲类" => Some(ItemClass::A),
            "b" | "乙" | "乙类" => Some(ItemClass::B),
            "self" | "c" | "丙" | "丙类" | "自费" => Some(ItemClass::SelfPay),
            _ => None,
        }
    }
}

/// A self-pay-first rate in basis points (0 ..= 10000, i.e. 0.0000 ..= 1.0000). Displays as `0.10`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Rate(pub u16);

impl Rate {
    /// Parses decimal text between 0 and 1 with at most 4 decimals (`"0.1"`, `"0.10"`, `"0.125"`, `"1"`).
    pub fn parse(s: &str) -> Option<Rate> {
        let r = parse_ratio(s.trim())?;
        let bp = r.num().checked_mul(10_000)?;
        if bp % r.den() != 0 {
            return None;
        }
        u16::try_from(bp / r.den()).ok().map(Rate)
    }

    /// The rate as the exact ratio the money functions take ([`crate::domain::money::apply_ratio`]).
    pub fn to_ratio(self) -> Ratio {
        parse_ratio(&self.to_string()).unwrap_or(Ratio::ZERO)
    }
}

impl fmt::Display for Rate {
    /// At least two decimals: `0.00`, `0.10`, `0.125`, `1.00`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (int, mut frac, mut places) = (self.0 / 10_000, u32::from(self.0 % 10_000), 4);
        while places > 2 && frac % 10 == 0 {
            frac /= 10;
            places -= 1;
        }
        write!(f, "{int}.{frac:0places$}")
    }
}

/// A code decoded from a catalog: up to 32 ASCII bytes, held inline (no allocation).
#[derive(Clone, Copy)]
pub struct Code {
    pub(crate) buf: [u8; MAX_CODE_LEN],
    pub(crate) len: u8,
}

impl Code {
    pub(crate) const EMPTY: Code = Code {
        buf: [0; MAX_CODE_LEN],
        len: 0,
    };

    pub fn as_bytes(&self) -> &[u8] {
        self.buf.get(..usize::from(self.len)).unwrap_or(&[])
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(self.as_bytes()).unwrap_or("")
    }
}

impl PartialEq for Code {
    fn eq(&self, other: &Code) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl Eq for Code {}

impl fmt::Debug for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One catalog entry, borrowing its names from the catalog bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry<'c> {
    /// Position in code order (0-based).
    pub ordinal: u32,
    pub code: Code,
    pub name_zh: Option<&'c str>,
    pub name_en: Option<&'c str>,
    /// `Some` in item catalogs, `None` in diagnosis catalogs.
    pub class: Option<ItemClass>,
    /// Self-pay-first rate (0 for 甲类 and in diagnosis catalogs).
    pub self_pay_rate: Rate,
    /// Price cap (限价 / 支付标准) in fen.
    pub price_cap_fen: Option<i64>,
}

impl Entry<'_> {
    /// The name in the wanted language, falling back to the other one.
    pub fn name(&self, zh: bool) -> Option<&str> {
        if zh {
            self.name_zh.or(self.name_en)
        } else {
            self.name_en.or(self.name_zh)
        }
    }
}

/// One source row for [`super::build`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Row {
    pub code: String,
    pub name_zh: Option<String>,
    pub name_en: Option<String>,
    /// Required in item catalogs, absent in diagnosis catalogs.
    pub class: Option<ItemClass>,
    /// Defaults to 0 (and must be given for 乙类 items that have one).
    pub self_pay_rate: Option<Rate>,
    pub price_cap_fen: Option<i64>,
    /// Source line, for errors (0 when unknown).
    pub line: usize,
}
