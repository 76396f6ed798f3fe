//! Summaries over seeds and the rule that turns two methods' numbers into a verdict.

use std::fmt;

/// Mean, sample standard deviation and range of a set of values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spread {
    /// Number of values.
    pub n: usize,
    /// Their mean.
    pub mean: f64,
    /// Their sample standard deviation (n − 1 in the denominator; 0 for one value).
    pub sd: f64,
    /// The smallest.
    pub min: f64,
    /// The largest.
    pub max: f64,
}

impl Spread {
    /// The summary of `values` (all zero when there is none).
    pub fn of(values: &[f64]) -> Spread {
        let n = values.len();
        if n == 0 {
            return Spread {
                n,
                mean: 0.0,
                sd: 0.0,
                min: 0.0,
                max: 0.0,
            };
        }
        let mean = values.iter().sum::<f64>() / n as f64;
        let ss: f64 = values.iter().map(|v| (v - mean).powi(2)).sum();
        let sd = if n > 1 {
            (ss / (n - 1) as f64).sqrt()
        } else {
            0.0
        };
        let min = values.iter().copied().fold(f64::INFINITY, f64::min);
        let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        Spread {
            n,
            mean,
            sd,
            min,
            max,
        }
    }

    /// "mean ± s.d." of fractions, in percent with one decimal.
    pub fn percent(&self) -> String {
        format!("{:.1} ± {:.1}", 100.0 * self.mean, 100.0 * self.sd)
    }
}

/// How MoLaP compares with another method on one measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Better by more than the seeds' spread.
    Win,
    /// Within the seeds' spread.
    Tie,
    /// Worse by more than the seeds' spread.
    Loss,
    /// One seed only: no spread to judge against.
    Undecided,
}

impl Verdict {
    /// Compares `a` (MoLaP's values over seeds) with `b`: a win or a loss only when the
    /// difference of the means exceeds the larger of the two standard deviations over seeds.
    ///
    /// TODO: this rule ignores that seed s gives every method the same task draws; a paired
    /// comparison (the per-seed differences against their own spread) would detect smaller
    /// effects with five seeds, and a real test would state a confidence.
    pub fn of(a: &[f64], b: &[f64], higher_is_better: bool) -> Verdict {
        let (sa, sb) = (Spread::of(a), Spread::of(b));
        if sa.n < 2 || sb.n < 2 {
            return Verdict::Undecided;
        }
        let sign = if higher_is_better { 1.0 } else { -1.0 };
        let gain = sign * (sa.mean - sb.mean);
        let spread = sa.sd.max(sb.sd);
        if gain > spread {
            Verdict::Win
        } else if gain < -spread {
            Verdict::Loss
        } else {
            Verdict::Tie
        }
    }

    /// The word used in tables.
    pub fn word(self) -> &'static str {
        match self {
            Verdict::Win => "win",
            Verdict::Tie => "tie",
            Verdict::Loss => "loss",
            Verdict::Undecided => "undecided",
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.word())
    }
}

/// The median of values where `None` means "beyond the budget" (ranked above every number);
/// `None` when the median itself is beyond the budget.
pub fn censored_median(values: &[Option<usize>]) -> Option<f64> {
    let mut known: Vec<usize> = values.iter().flatten().copied().collect();
    known.sort_unstable();
    let n = values.len();
    if n == 0 {
        return None;
    }
    let at = |i: usize| known.get(i).map(|&v| v as f64);
    if n % 2 == 1 {
        at(n / 2)
    } else {
        Some((at(n / 2 - 1)? + at(n / 2)?) / 2.0)
    }
}

/// The mean height of a curve of (trials, fraction) points over its trial range (trapezoid
/// rule): how fast and how far it learned, one number per curve.
pub fn curve_area(points: &[(usize, f64)]) -> f64 {
    let Some(&(first, v0)) = points.first() else {
        return 0.0;
    };
    let last = points.last().map_or(first, |p| p.0);
    if last == first {
        return v0;
    }
    let sum: f64 = points
        .windows(2)
        .map(|w| (w[1].0 - w[0].0) as f64 * (w[0].1 + w[1].1) / 2.0)
        .sum();
    sum / (last - first) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spread_uses_the_sample_deviation() {
        let s = Spread::of(&[1.0, 2.0, 3.0]);
        assert_eq!((s.mean, s.sd, s.min, s.max), (2.0, 1.0, 1.0, 3.0));
        assert_eq!(Spread::of(&[5.0]).sd, 0.0);
    }

    #[test]
    fn verdicts_need_a_difference_beyond_the_spread() {
        assert_eq!(Verdict::of(&[0.9, 0.8], &[0.5, 0.6], true), Verdict::Win);
        assert_eq!(Verdict::of(&[0.9, 0.5], &[0.6, 0.7], true), Verdict::Tie);
        assert_eq!(
            Verdict::of(&[10.0, 12.0], &[5.0, 6.0], false),
            Verdict::Loss
        );
        assert_eq!(Verdict::of(&[1.0], &[0.0], true), Verdict::Undecided);
    }

    #[test]
    fn censored_median_ranks_misses_last() {
        assert_eq!(censored_median(&[Some(3), None, Some(1)]), Some(3.0));
        assert_eq!(censored_median(&[Some(3), None, None]), None);
        assert_eq!(censored_median(&[Some(2), Some(4)]), Some(3.0));
    }

    #[test]
    fn curve_area_is_the_mean_height() {
        assert_eq!(curve_area(&[(0, 0.0), (10, 1.0)]), 0.5);
        assert_eq!(curve_area(&[(0, 0.4)]), 0.4);
    }
}
