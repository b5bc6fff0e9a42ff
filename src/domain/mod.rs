//! Exact domain functions: calendar dates as day numbers, money in integer fen, identity-number checksums and
//! ICD-10 code ranges. Pure functions with no dependency on the expression engine; the engine exposes them to
//! rule packs as operators.
