//! Arithmetic: `+ - * / %`, `min`, `max`, `abs`. Integers stay exact (checked, falling back to floats only
//! on overflow); a division that is exact stays an integer. NaN and division by zero are `NaN` errors.

use super::coerce::{to_num, Num};
use super::Op;
use crate::expr::error::EvalError;
use crate::value::Value;

fn add(a: Num, b: Num) -> Num {
    match (a, b) {
        (Num::I(x), Num::I(y)) => x.checked_add(y).map_or(Num::F(x as f64 + y as f64), Num::I),
        _ => Num::F(a.f() + b.f()),
    }
}

fn sub(a: Num, b: Num) -> Num {
    match (a, b) {
        (Num::I(x), Num::I(y)) => x.checked_sub(y).map_or(Num::F(x as f64 - y as f64), Num::I),
        _ => Num::F(a.f() - b.f()),
    }
}

fn mul(a: Num, b: Num) -> Num {
    match (a, b) {
        (Num::I(x), Num::I(y)) => x.checked_mul(y).map_or(Num::F(x as f64 * y as f64), Num::I),
        _ => Num::F(a.f() * b.f()),
    }
}

fn div(a: Num, b: Num) -> Result<Num, EvalError> {
    if b.f() == 0.0 {
        return Err(EvalError::NaN);
    }
    Ok(match (a, b) {
        (Num::I(x), Num::I(y)) if y != 0 && x.checked_rem(y) == Some(0) => {
            x.checked_div(y).map_or(Num::F(x as f64 / y as f64), Num::I)
        }
        _ => Num::F(a.f() / b.f()),
    })
}

fn rem(a: Num, b: Num) -> Result<Num, EvalError> {
    if b.f() == 0.0 {
        return Err(EvalError::NaN);
    }
    Ok(match (a, b) {
        (Num::I(x), Num::I(y)) => x.checked_rem(y).map_or(Num::F(a.f() % b.f()), Num::I),
        _ => Num::F(a.f() % b.f()),
    })
}

fn fold(args: &[Value], f: impl Fn(Num, Num) -> Result<Num, EvalError>) -> Result<Value, EvalError> {
    let mut it = args.iter();
    let first = match it.next() {
        Some(v) => to_num(v)?,
        None => return Err(EvalError::invalid("expects at least one argument")),
    };
    let mut acc = first;
    for v in it {
        acc = f(acc, to_num(v)?)?;
    }
    acc.into_value()
}

/// A running `+` over values given one at a time (what `plus` computes over a list, without the list). The
/// first value that is not a number is remembered and reported by [`Sum::finish`], as `plus` would.
#[derive(Debug)]
pub struct Sum {
    acc: Num,
    err: Option<EvalError>,
}

impl Default for Sum {
    fn default() -> Sum {
        Sum {
            acc: Num::I(0),
            err: None,
        }
    }
}

impl Sum {
    pub fn add(&mut self, v: &Value) {
        if self.err.is_none() {
            match to_num(v) {
                Ok(n) => self.acc = add(self.acc, n),
                Err(e) => self.err = Some(e),
            }
        }
    }

    pub fn finish(self) -> Result<Value, EvalError> {
        match self.err {
            Some(e) => Err(e),
            None => self.acc.into_value(),
        }
    }
}

/// Whether [`binary`] computes `op`.
pub fn is_binary(op: Op) -> bool {
    matches!(op, Op::Add | Op::Sub | Op::Mul | Op::Div | Op::Mod)
}

/// `+ - * / %` on two arguments read in place: what [`plus`], [`minus`], [`times`], [`divide`] and
/// [`modulo`] give for the slice of the two (same steps, same errors), without building the slice.
pub fn binary(op: Op, a: &Value, b: &Value) -> Result<Value, EvalError> {
    // Two integers (money in fen, counts) without overflow: the common case, answered first.
    if let (Value::Int(x), Value::Int(y)) = (a, b) {
        let r = match op {
            Op::Add => x.checked_add(*y),
            Op::Sub => x.checked_sub(*y),
            Op::Mul => x.checked_mul(*y),
            _ => None,
        };
        if let Some(r) = r {
            return Ok(Value::Int(r));
        }
    }
    // Two numbers, one of them a double (amounts in generic data): the doubles `add`, `sub` and `mul`
    // compute from JSONLogic's start values 0 and 1 (`0 + x + y`, `x - y`, `1 * x * y`), read in place.
    let num = |v: &Value| match v {
        Value::Int(i) => Some(*i as f64),
        Value::Float(f) if !f.is_nan() => Some(*f),
        _ => None,
    };
    if let (Some(x), Some(y)) = (num(a), num(b)) {
        let r = match op {
            Op::Add => Some(0.0 + x + y),
            Op::Sub => Some(x - y),
            Op::Mul => Some(x * y),
            _ => None,
        };
        match r {
            Some(r) if r.is_nan() => return Err(EvalError::NaN),
            Some(r) => return Ok(Value::number(r)),
            None => {}
        }
    }
    let x = to_num(a)?;
    let y = to_num(b)?;
    match op {
        Op::Add => add(add(Num::I(0), x), y).into_value(),
        Op::Sub => sub(x, y).into_value(),
        Op::Mul => mul(mul(Num::I(1), x), y).into_value(),
        Op::Div => div(x, y)?.into_value(),
        Op::Mod => rem(x, y)?.into_value(),
        _ => op.apply(&[a.clone(), b.clone()]),
    }
}

pub fn plus(args: &[Value]) -> Result<Value, EvalError> {
    let mut acc = Num::I(0);
    for v in args {
        acc = add(acc, to_num(v)?);
    }
    acc.into_value()
}

pub fn minus(args: &[Value]) -> Result<Value, EvalError> {
    match args {
        [one] => sub(Num::I(0), to_num(one)?).into_value(),
        _ => fold(args, |a, b| Ok(sub(a, b))),
    }
}

pub fn times(args: &[Value]) -> Result<Value, EvalError> {
    let mut acc = Num::I(1);
    for v in args {
        acc = mul(acc, to_num(v)?);
    }
    acc.into_value()
}

pub fn divide(args: &[Value]) -> Result<Value, EvalError> {
    match args {
        [one] => div(Num::I(1), to_num(one)?)?.into_value(),
        _ => fold(args, div),
    }
}

pub fn modulo(args: &[Value]) -> Result<Value, EvalError> {
    if args.len() < 2 {
        return Err(EvalError::invalid("% expects at least two arguments"));
    }
    fold(args, rem)
}

/// `min`/`max`: numbers only (strings and other types are `Invalid Arguments`); no arguments gives null.
pub fn extreme(args: &[Value], want_max: bool) -> Result<Value, EvalError> {
    let mut best: Option<(f64, &Value)> = None;
    for v in args {
        let f = match v {
            Value::Int(i) => *i as f64,
            Value::Float(f) => *f,
            _ => return Err(EvalError::invalid("min and max take numbers")),
        };
        let better = match best {
            None => true,
            Some((b, _)) => (want_max && f > b) || (!want_max && f < b),
        };
        if better {
            best = Some((f, v));
        }
    }
    Ok(best.map(|(_, v)| v.clone()).unwrap_or(Value::Null))
}

pub fn abs(args: &[Value]) -> Result<Value, EvalError> {
    match args {
        [v] => match to_num(v)? {
            Num::I(i) => Ok(i.checked_abs().map_or(Value::Float((i as f64).abs()), Value::Int)),
            Num::F(f) => Ok(Value::number(f.abs())),
        },
        _ => Err(EvalError::invalid("abs takes one number")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `binary` gives what the operators give for the slice of the two arguments: value (and its kind) or
    /// error, on integers, doubles, signed zeros, infinities, overflow, NaN and strings.
    #[test]
    fn binary_agrees_with_the_list_forms() {
        let vals = [
            Value::Int(0),
            Value::Int(7),
            Value::Int(-3),
            Value::Int(i64::MAX),
            Value::Float(0.5),
            Value::Float(-0.0),
            Value::Float(380.0),
            Value::Float(f64::INFINITY),
            Value::Float(f64::NEG_INFINITY),
            Value::Float(f64::NAN),
            Value::Null,
            Value::Bool(true),
            Value::str("2.5"),
            Value::str("x"),
        ];
        type ListForm = fn(&[Value]) -> Result<Value, EvalError>;
        let list: [(Op, ListForm); 5] = [
            (Op::Add, plus),
            (Op::Sub, minus),
            (Op::Mul, times),
            (Op::Div, divide),
            (Op::Mod, modulo),
        ];
        let show = |r: Result<Value, EvalError>| match r {
            Ok(Value::Float(f)) => format!("Float({:?})", f),
            r => format!("{r:?}"),
        };
        for (op, f) in list {
            for a in &vals {
                for b in &vals {
                    assert_eq!(
                        show(binary(op, a, b)),
                        show(f(&[a.clone(), b.clone()])),
                        "{op:?} {a:?} {b:?}"
                    );
                }
            }
        }
    }
}
