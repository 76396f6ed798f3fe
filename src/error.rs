//! The one error type of the core. The web edge turns it into a message for the page; the
//! command-line tool prints it with its context.

use thiserror::Error;

/// Everything in the core that can fail because of what a user asked for.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum Error {
    /// A configuration or request field holds a value the core cannot use.
    #[error("invalid value for `{field}`: {reason}")]
    InvalidConfig { field: String, reason: String },

    /// A model file could not be read: truncated, corrupted, wrong version or wrong kind.
    #[error("cannot read model file: {0}")]
    ModelFile(String),

    /// Training produced NaN, infinity or an exploding loss; the last good weights were kept.
    #[error("training diverged at iteration {iteration}: {reason}")]
    Diverged { iteration: usize, reason: String },

    /// Arrays handed to the core have shapes that do not fit together.
    #[error("shape mismatch: {0}")]
    Shape(String),
}

impl Error {
    /// Shorthand for [`Error::InvalidConfig`].
    pub fn invalid(field: &str, reason: impl Into<String>) -> Self {
        Error::InvalidConfig {
            field: field.to_string(),
            reason: reason.into(),
        }
    }
}

/// The core's result type.
pub type Result<T> = std::result::Result<T, Error>;
