//! Exact decimals, as GeniusWeb computes with them: a 128-bit integer scaled by a power of
//! ten. Every operation is checked; a number too long for 38 digits is refused, not rounded.

use std::cmp::Ordering;
use std::fmt;

/// `mantissa / 10^scale`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Decimal {
    mantissa: i128,
    scale: u32,
}

/// The most digits after the point a decimal may keep.
const MAX_SCALE: u32 = 36;

fn pow10(exponent: u32) -> Option<i128> {
    10_i128.checked_pow(exponent)
}

impl Decimal {
    pub(crate) const ZERO: Decimal = Decimal { mantissa: 0, scale: 0 };
    pub(crate) const ONE: Decimal = Decimal { mantissa: 1, scale: 0 };

    /// Reads JSON number syntax (`-12.5e3`); `None` when it is not a number or has too many
    /// digits to hold exactly.
    pub(crate) fn parse(text: &str) -> Option<Decimal> {
        let (mantissa_text, exponent) = match text.find(['e', 'E']) {
            Some(at) => (&text[..at], text[at + 1..].parse::<i64>().ok()?),
            None => (text, 0),
        };
        let (negative, digits) = match mantissa_text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, mantissa_text),
        };
        let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
        if int.is_empty()
            || !int.bytes().all(|byte| byte.is_ascii_digit())
            || !frac.bytes().all(|byte| byte.is_ascii_digit())
            || (digits.contains('.') && frac.is_empty())
        {
            return None;
        }
        let all = format!("{int}{frac}");
        let trimmed = all.trim_start_matches('0');
        if trimmed.len() > 37 {
            return None;
        }
        let mut mantissa: i128 = if trimmed.is_empty() { 0 } else { trimmed.parse().ok()? };
        if negative {
            mantissa = -mantissa;
        }
        let scale = i64::try_from(frac.len()).ok()?.checked_sub(exponent)?;
        let decimal = if scale >= 0 {
            Decimal { mantissa, scale: u32::try_from(scale).ok()? }
        } else {
            let factor = pow10(u32::try_from(-scale).ok()?)?;
            Decimal { mantissa: mantissa.checked_mul(factor)?, scale: 0 }
        };
        let decimal = decimal.normalised();
        (decimal.scale <= MAX_SCALE).then_some(decimal)
    }

    /// Without trailing zeros after the point.
    fn normalised(mut self) -> Decimal {
        while self.scale > 0 && self.mantissa % 10 == 0 {
            self.mantissa /= 10;
            self.scale -= 1;
        }
        if self.mantissa == 0 {
            self.scale = 0;
        }
        self
    }

    /// Both mantissas at the larger scale.
    fn aligned(self, other: Decimal) -> Option<(i128, i128, u32)> {
        let scale = self.scale.max(other.scale);
        let left = self.mantissa.checked_mul(pow10(scale - self.scale)?)?;
        let right = other.mantissa.checked_mul(pow10(scale - other.scale)?)?;
        Some((left, right, scale))
    }

    pub(crate) fn add(self, other: Decimal) -> Option<Decimal> {
        let (left, right, scale) = self.aligned(other)?;
        Some(Decimal { mantissa: left.checked_add(right)?, scale }.normalised())
    }

    pub(crate) fn sub(self, other: Decimal) -> Option<Decimal> {
        let (left, right, scale) = self.aligned(other)?;
        Some(Decimal { mantissa: left.checked_sub(right)?, scale }.normalised())
    }

    pub(crate) fn mul(self, other: Decimal) -> Option<Decimal> {
        let mantissa = self.mantissa.checked_mul(other.mantissa)?;
        Some(Decimal { mantissa, scale: self.scale.checked_add(other.scale)? }.normalised())
    }

    /// `self / other` rounded half up (ties away from zero) to `places` digits after the point.
    pub(crate) fn div_rounded(self, other: Decimal, places: u32) -> Option<Decimal> {
        if other.mantissa == 0 {
            return None;
        }
        // self / other = (a / 10^sa) / (b / 10^sb); times 10^places: a * 10^(sb + places) / (b * 10^sa).
        let numerator = self.mantissa.checked_mul(pow10(other.scale.checked_add(places)?)?)?;
        let denominator = other.mantissa.checked_mul(pow10(self.scale)?)?;
        let quotient = numerator / denominator;
        let remainder = numerator % denominator;
        let rounded = if remainder.checked_abs()?.checked_mul(2)? >= denominator.checked_abs()? {
            if (numerator < 0) == (denominator < 0) { quotient + 1 } else { quotient - 1 }
        } else {
            quotient
        };
        Some(Decimal { mantissa: rounded, scale: places }.normalised())
    }

    pub(crate) fn is_negative(self) -> bool {
        self.mantissa < 0
    }

    /// The nearest `f64`.
    pub(crate) fn to_f64(self) -> f64 {
        self.to_string().parse().unwrap_or(f64::NAN)
    }

    /// The exact decimal of a finite `f64` written as Rust writes it (the shortest text that
    /// reads back as the same number), when it fits.
    pub(crate) fn from_f64(number: f64) -> Option<Decimal> {
        if !number.is_finite() {
            return None;
        }
        Decimal::parse(&format!("{number}"))
    }
}

impl PartialEq for Decimal {
    fn eq(&self, other: &Decimal) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Decimal {}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Decimal) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Decimal) -> Ordering {
        match self.aligned(*other) {
            Some((left, right, _)) => left.cmp(&right),
            // Only numbers of very different sizes overflow when aligned; the signs and the
            // integer parts then decide.
            None => {
                let whole = |decimal: &Decimal| {
                    decimal.mantissa / pow10(decimal.scale).unwrap_or(i128::MAX)
                };
                (self.mantissa.signum(), whole(self)).cmp(&(other.mantissa.signum(), whole(other)))
            }
        }
    }
}

impl fmt::Display for Decimal {
    /// Plain decimal text without an exponent or trailing zeros: `-12.5`, `0.001`, `3`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let decimal = self.normalised();
        let digits = decimal.mantissa.unsigned_abs().to_string();
        let sign = if decimal.mantissa < 0 { "-" } else { "" };
        let scale = decimal.scale as usize;
        if scale == 0 {
            return write!(f, "{sign}{digits}");
        }
        let digits = format!("{digits:0>width$}", width = scale + 1);
        let (int, frac) = digits.split_at(digits.len() - scale);
        write!(f, "{sign}{int}.{frac}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(text: &str) -> Decimal {
        Decimal::parse(text).unwrap()
    }

    #[test]
    fn parsing_and_writing_are_exact() {
        for (text, written) in [
            ("12.50", "12.5"),
            ("-0.0", "0"),
            ("1e3", "1000"),
            ("1.25E-2", "0.0125"),
            ("0.000000000000000000000000000001", "0.000000000000000000000000000001"),
            ("123456789012345678901234567890.5", "123456789012345678901234567890.5"),
        ] {
            assert_eq!(dec(text).to_string(), written, "{text}");
        }
        for bad in
            ["", "-", "1.", ".5", "1e", "a", "1e999", "1234567890123456789012345678901234567890"]
        {
            assert!(Decimal::parse(bad).is_none(), "{bad}");
        }
        assert_eq!(Decimal::from_f64(0.1).unwrap().to_string(), "0.1");
        assert_eq!(Decimal::from_f64(1e-300), None);
    }

    #[test]
    fn arithmetic_is_exact_and_division_rounds_half_up() {
        assert_eq!(dec("0.1").add(dec("0.2")).unwrap(), dec("0.3"));
        assert_eq!(dec("1").sub(dec("0.06")).unwrap().to_string(), "0.94");
        assert_eq!(dec("1.5").mul(dec("0.2")).unwrap().to_string(), "0.3");
        assert_eq!(dec("2").div_rounded(dec("3"), 8).unwrap().to_string(), "0.66666667");
        assert_eq!(dec("1").div_rounded(dec("8"), 2).unwrap().to_string(), "0.13");
        assert_eq!(dec("-1").div_rounded(dec("8"), 2).unwrap().to_string(), "-0.13");
        assert_eq!(dec("1").div_rounded(dec("0"), 2), None);
        assert!(dec("12.2") < dec("12.25") && dec("-1") < dec("0.5"));
        assert_eq!(dec("1e30").cmp(&dec("0.000000000000000000000000000001")), Ordering::Greater);
    }
}
