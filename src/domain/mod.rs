//! Exact domain functions: calendar dates as day numbers, money in integer fen, identity-number checksums and
//! ICD-10 code ranges. Pure functions with no dependency on the expression engine; the engine exposes them to
//! rule packs as operators.

pub mod date;
pub mod icd;
pub mod ids;
pub mod money;

pub use date::{
    add_days, add_months, add_years, age_on, days_between, days_in_month, format_date, from_ymd, is_leap, parse_date,
    to_ymd,
};
pub use icd::{icd_category, icd_in_any, icd_in_range, icd_well_formed, icdo3_behaviour, parse_icd_range, IcdRange};
pub use ids::{bank_card_ok, check_resident_id, check_uscc, luhn_valid, mask_number, IdError, ResidentId, Sex};
pub use money::{
    apply_ratio, format_money, money_from_f64, mul_div_half_up, parse_money, parse_ratio, ratio_from_f64, MoneyError,
    Ratio, MAX_MONEY_FEN,
};
