//! Command-line and environment configuration, kept in the library so tests can build one.

use std::net::IpAddr;

use clap::Parser;

/// A local emulator of the OneDrive (Microsoft Graph) and Box file-version APIs.
#[derive(Debug, Clone, Parser)]
#[command(name = "restore-mock", version, about)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "RESTORE_MOCK_HOST", default_value = "127.0.0.1")]
    pub host: IpAddr,

    /// Port to listen on; 0 picks a free one (the chosen address is printed on stdout).
    #[arg(long, env = "RESTORE_MOCK_PORT", default_value_t = 8080)]
    pub port: u16,

    /// Largest request body accepted, in bytes; larger ones get each API's 413.
    #[arg(long, env = "RESTORE_MOCK_MAX_BODY", default_value_t = 256 * 1024 * 1024)]
    pub max_body: usize,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            host: IpAddr::from([127, 0, 0, 1]),
            port: 0,
            max_body: 256 * 1024 * 1024,
        }
    }
}
