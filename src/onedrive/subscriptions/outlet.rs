//! Placeholder until the change log lands.
