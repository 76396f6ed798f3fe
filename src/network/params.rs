//! The five parameter groups of a network, as one value.
//!
//! The same [`Params`] type holds a network's weights, their gradients and the optimiser's
//! moment estimates, so all three line up group by group and entry by entry.
//!
//! | group | shape | meaning |
//! |---|---|---|
//! | `w_in` | `n x n_in` | input channel -> unit |
//! | `w_rec` | `n x n` | unit (column) -> unit (row) |
//! | `b` | `n` | unit bias |
//! | `w_out` | `n_out x n` | unit -> output channel |
//! | `b_out` | `n_out` | output bias |

use nalgebra::{DMatrix, DVector};
use serde::{Deserialize, Serialize};

use crate::real::Real;

/// Names one parameter group. The names are those of the table in the module docs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    /// Input weights `w_in`, `n x n_in`.
    WIn,
    /// Recurrent weights `w_rec`, `n x n`.
    WRec,
    /// Unit biases `b`, `n`.
    B,
    /// Readout weights `w_out`, `n_out x n`.
    WOut,
    /// Readout biases `b_out`, `n_out`.
    BOut,
}

impl Group {
    /// Every group, in the order `w_in`, `w_rec`, `b`, `w_out`, `b_out`.
    pub const ALL: [Group; 5] = [Group::WIn, Group::WRec, Group::B, Group::WOut, Group::BOut];

    /// The group's name: `"w_in"`, `"w_rec"`, `"b"`, `"w_out"` or `"b_out"`.
    pub fn name(self) -> &'static str {
        match self {
            Group::WIn => "w_in",
            Group::WRec => "w_rec",
            Group::B => "b",
            Group::WOut => "w_out",
            Group::BOut => "b_out",
        }
    }

    /// The group with this name, if any.
    pub fn from_name(name: &str) -> Option<Group> {
        Group::ALL.into_iter().find(|g| g.name() == name)
    }
}

/// One value per parameter of a network, grouped as in the module docs. Matrices are
/// column-major (nalgebra), so `group(g)` slices are column-major too.
#[derive(Debug, Clone, PartialEq)]
pub struct Params<T: Real> {
    /// Input weights, `n x n_in`.
    pub w_in: DMatrix<T>,
    /// Recurrent weights, `n x n`: entry `(i, j)` drives unit `i` from unit `j`.
    pub w_rec: DMatrix<T>,
    /// Unit biases, `n`.
    pub b: DVector<T>,
    /// Readout weights, `n_out x n`.
    pub w_out: DMatrix<T>,
    /// Readout biases, `n_out`.
    pub b_out: DVector<T>,
}

impl<T: Real> Params<T> {
    /// All zeros for a network with `n_in` inputs, `n` units and `n_out` outputs.
    pub fn zeros(n_in: usize, n: usize, n_out: usize) -> Self {
        Params {
            w_in: DMatrix::zeros(n, n_in),
            w_rec: DMatrix::zeros(n, n),
            b: DVector::zeros(n),
            w_out: DMatrix::zeros(n_out, n),
            b_out: DVector::zeros(n_out),
        }
    }

    /// All zeros, shaped like `self`.
    pub fn zeros_like(&self) -> Self {
        Params::zeros(self.n_in(), self.n_units(), self.n_out())
    }

    /// Number of input channels.
    pub fn n_in(&self) -> usize {
        self.w_in.ncols()
    }

    /// Number of units.
    pub fn n_units(&self) -> usize {
        self.w_rec.nrows()
    }

    /// Number of output channels.
    pub fn n_out(&self) -> usize {
        self.w_out.nrows()
    }

    /// The same values in another float type (`f32 <-> f64`).
    pub fn cast<U: Real>(&self) -> Params<U> {
        let c = |x: &T| U::of(x.to_f64());
        Params {
            w_in: self.w_in.map(|x| c(&x)),
            w_rec: self.w_rec.map(|x| c(&x)),
            b: self.b.map(|x| c(&x)),
            w_out: self.w_out.map(|x| c(&x)),
            b_out: self.b_out.map(|x| c(&x)),
        }
    }

    /// Total number of entries over all groups (including recurrent entries a structural mask
    /// forbids; see `Network::n_existing` for the count that excludes them).
    pub fn n_params(&self) -> usize {
        Group::ALL.iter().map(|&g| self.group(g).len()).sum()
    }

    /// The entries of one group, column-major.
    pub fn group(&self, g: Group) -> &[T] {
        match g {
            Group::WIn => self.w_in.as_slice(),
            Group::WRec => self.w_rec.as_slice(),
            Group::B => self.b.as_slice(),
            Group::WOut => self.w_out.as_slice(),
            Group::BOut => self.b_out.as_slice(),
        }
    }

    /// The entries of one group, column-major, mutable.
    pub fn group_mut(&mut self, g: Group) -> &mut [T] {
        match g {
            Group::WIn => self.w_in.as_mut_slice(),
            Group::WRec => self.w_rec.as_mut_slice(),
            Group::B => self.b.as_mut_slice(),
            Group::WOut => self.w_out.as_mut_slice(),
            Group::BOut => self.b_out.as_mut_slice(),
        }
    }

    /// Every group with its name-bearing tag, in [`Group::ALL`] order.
    pub fn groups(&self) -> impl Iterator<Item = (Group, &[T])> + '_ {
        Group::ALL.into_iter().map(move |g| (g, self.group(g)))
    }

    /// Sum of squares over the listed groups, in `f64`.
    pub fn norm_sq_of(&self, groups: &[Group]) -> f64 {
        groups
            .iter()
            .flat_map(|&g| self.group(g).iter())
            .map(|x| x.to_f64() * x.to_f64())
            .sum()
    }

    /// Euclidean norm over all groups, in `f64`.
    pub fn norm(&self) -> f64 {
        self.norm_sq_of(&Group::ALL).sqrt()
    }

    /// Multiplies every entry by `s`.
    pub fn scale(&mut self, s: T) {
        for g in Group::ALL {
            self.group_mut(g).iter_mut().for_each(|x| *x *= s);
        }
    }

    /// True when no entry is NaN or infinite.
    pub fn is_finite(&self) -> bool {
        self.groups()
            .all(|(_, v)| v.iter().all(|x| x.to_f64().is_finite()))
    }
}
