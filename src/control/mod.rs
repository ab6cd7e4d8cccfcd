//! What a test steers the emulator with, through the admin API or the `Emulator` handle alike:
//! the request journal, fault rules (and their Rust builder), and the clock.

pub mod clock;
pub mod faults;
pub mod journal;
