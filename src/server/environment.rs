//! The environment contract: the variables `restore-mock exec` gives its command, `--print-env`
//! prints and [`Emulator::environment`](super::Emulator::environment) returns, so that a test
//! suite in any language finds the emulator the same way.
//!
//! | variable | value | read by |
//! |---|---|---|
//! | `RESTORE_MOCK_URL` | the root, `http://127.0.0.1:PORT` | the app |
//! | `RESTORE_MOCK_GRAPH_URL` | the root + `/v1.0` | the app: msgraph-sdk's `request_adapter.base_url` (the Node client's `baseUrl` is the root) |
//! | `RESTORE_MOCK_BOX_URL` | the root | the app: the Box SDKs' `base_url` (they append `/2.0`) |
//! | `RESTORE_MOCK_BOX_UPLOAD_URL` | the root + `/api` | the app: the Box SDKs' `upload_url` |
//! | `RESTORE_MOCK_ADMIN_URL` | the root + `/__admin` | the app's test set-up (reset, fixtures, faults) |
//! | `IDENTITY_ENDPOINT` | the root + `/msi/token` | azure-identity's managed identity, by itself |
//! | `IDENTITY_HEADER` | a fixed value the endpoint accepts | the same |
//! | `REQUESTS_CA_BUNDLE` | the certificate `--tls-self-signed` wrote | Python `requests` (boxsdk), by itself |
//! | `SSL_CERT_FILE` | the same | Python `ssl` and `httpx` (msgraph-sdk), OpenSSL, by themselves |
//! | `NODE_EXTRA_CA_CERTS` | the same | Node, by itself, at start-up |
//!
//! No official SDK reads an endpoint from the environment: the app passes the URLs on. The CA
//! variables are set only with `--tls-self-signed`, whose certificate is its own trust anchor;
//! a `--tls-cert` chain need not hold the root that signed it, and pointing `REQUESTS_CA_BUNDLE`
//! at it would replace a trust store that works with one that does not.
//!
//! `IDENTITY_ENDPOINT` (the root + `/msi/token`) and `IDENTITY_HEADER` make azure-identity's
//! `ManagedIdentityCredential` and `DefaultAzureCredential` (Python and Node) get their tokens
//! from the emulator's managed-identity endpoint ([`crate::entra`]), over plain http, with no
//! code change. `DefaultAzureCredential` tries `AZURE_CLIENT_SECRET` first: with that set too it
//! takes the client-secret path instead.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::Path;

/// The `IDENTITY_HEADER` value: the endpoint takes any, as nothing on this machine is kept
/// from it.
const IDENTITY_HEADER: &str = "restore-mock";

/// The variables, in the order they are printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Environment {
    vars: Vec<(&'static str, String)>,
}

/// The forms `--print-env` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum EnvFormat {
    /// `export NAME='value'` lines, for `eval` in a POSIX shell.
    Shell,
    /// `NAME=value` lines, unquoted: what `--env-file` (docker, node), python-dotenv and
    /// GitHub Actions' `$GITHUB_ENV` read.
    #[cfg_attr(feature = "cli", value(alias = "env"))]
    Dotenv,
    /// One line, one JSON object of strings, for a test harness to read.
    Json,
}

impl Environment {
    /// The contract of a server listening on `address` with `scheme`, whose clients trust
    /// `ca_file` when it is given.
    pub(crate) fn new(scheme: &str, address: SocketAddr, ca_file: Option<&Path>) -> Self {
        let root = format!("{scheme}://{}", reachable(address));
        let mut vars = vec![
            ("RESTORE_MOCK_URL", root.clone()),
            ("RESTORE_MOCK_GRAPH_URL", format!("{root}/v1.0")),
            ("RESTORE_MOCK_BOX_URL", root.clone()),
            ("RESTORE_MOCK_BOX_UPLOAD_URL", format!("{root}/api")),
            ("RESTORE_MOCK_ADMIN_URL", format!("{root}/__admin")),
            (
                "IDENTITY_ENDPOINT",
                format!("{root}{}", crate::entra::managed_identity::APP_SERVICE_PATH),
            ),
            ("IDENTITY_HEADER", IDENTITY_HEADER.to_owned()),
        ];
        if let Some(ca) = ca_file {
            // Absolute: the command may change directory (npm scripts run in the package's).
            let ca = std::path::absolute(ca).unwrap_or_else(|_| ca.to_owned());
            let ca = ca.display().to_string();
            for name in ["REQUESTS_CA_BUNDLE", "SSL_CERT_FILE", "NODE_EXTRA_CA_CERTS"] {
                vars.push((name, ca.clone()));
            }
        }
        Self { vars }
    }

    /// Each variable and its value.
    pub fn vars(&self) -> impl Iterator<Item = (&'static str, &str)> {
        self.vars
            .iter()
            .map(|(name, value)| (*name, value.as_str()))
    }

    /// The value of `name`, when the contract has it.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// The variables in `format`, ending with a newline.
    pub fn render(&self, format: EnvFormat) -> String {
        match format {
            EnvFormat::Shell => self
                .vars()
                .map(|(name, value)| format!("export {name}={}\n", shell_quote(value)))
                .collect(),
            EnvFormat::Dotenv => self
                .vars()
                .map(|(name, value)| format!("{name}={value}\n"))
                .collect(),
            EnvFormat::Json => {
                let object: serde_json::Map<String, serde_json::Value> = self
                    .vars()
                    .map(|(name, value)| (name.to_owned(), value.into()))
                    .collect();
                serde_json::Value::Object(object).to_string() + "\n"
            }
        }
    }
}

/// The address a client on this machine dials: a server on every interface (`0.0.0.0`, `::`)
/// answers on loopback, which the self-signed certificate also names.
fn reachable(address: SocketAddr) -> SocketAddr {
    let ip = match address.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    SocketAddr::new(ip, address.port())
}

/// `value` in single quotes, where a POSIX shell expands nothing; a quote inside ends the
/// quoting, adds an escaped quote and starts it again.
fn shell_quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_urls_name_loopback_when_the_server_listens_everywhere() {
        for (address, root, why) in [
            (
                "127.0.0.1:8080",
                "http://127.0.0.1:8080",
                "loopback as it is",
            ),
            (
                "0.0.0.0:8080",
                "http://127.0.0.1:8080",
                "every IPv4 interface",
            ),
            ("[::]:8080", "http://[::1]:8080", "every IPv6 interface"),
            ("192.168.1.5:80", "http://192.168.1.5:80", "one interface"),
        ] {
            let environment = Environment::new("http", address.parse().unwrap(), None);
            assert_eq!(environment.get("RESTORE_MOCK_URL"), Some(root), "{why}");
        }
    }

    #[test]
    fn each_form_writes_every_variable_in_order() {
        // An absolute path on any platform, with a quote for the shell form to escape.
        let cert = std::env::temp_dir().join("it's here").join("cert.pem");
        let environment = Environment::new("https", "127.0.0.1:9".parse().unwrap(), Some(&cert));
        let cert = cert.display().to_string();
        let quoted = cert.replace('\'', r"'\''");
        assert_eq!(
            environment.render(EnvFormat::Shell),
            format!(
                "export RESTORE_MOCK_URL='https://127.0.0.1:9'\n\
                 export RESTORE_MOCK_GRAPH_URL='https://127.0.0.1:9/v1.0'\n\
                 export RESTORE_MOCK_BOX_URL='https://127.0.0.1:9'\n\
                 export RESTORE_MOCK_BOX_UPLOAD_URL='https://127.0.0.1:9/api'\n\
                 export RESTORE_MOCK_ADMIN_URL='https://127.0.0.1:9/__admin'\n\
                 export IDENTITY_ENDPOINT='https://127.0.0.1:9/msi/token'\n\
                 export IDENTITY_HEADER='restore-mock'\n\
                 export REQUESTS_CA_BUNDLE='{quoted}'\n\
                 export SSL_CERT_FILE='{quoted}'\n\
                 export NODE_EXTRA_CA_CERTS='{quoted}'\n"
            )
        );
        assert!(quoted.contains(r"it'\''s here"), "{quoted}");
        assert_eq!(
            environment.render(EnvFormat::Dotenv),
            format!(
                "RESTORE_MOCK_URL=https://127.0.0.1:9\n\
                 RESTORE_MOCK_GRAPH_URL=https://127.0.0.1:9/v1.0\n\
                 RESTORE_MOCK_BOX_URL=https://127.0.0.1:9\n\
                 RESTORE_MOCK_BOX_UPLOAD_URL=https://127.0.0.1:9/api\n\
                 RESTORE_MOCK_ADMIN_URL=https://127.0.0.1:9/__admin\n\
                 IDENTITY_ENDPOINT=https://127.0.0.1:9/msi/token\n\
                 IDENTITY_HEADER=restore-mock\n\
                 REQUESTS_CA_BUNDLE={cert}\n\
                 SSL_CERT_FILE={cert}\n\
                 NODE_EXTRA_CA_CERTS={cert}\n"
            )
        );
        let json = environment.render(EnvFormat::Json);
        assert_eq!(json.lines().count(), 1, "one line: {json}");
        let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(parsed.as_object().unwrap().len(), 10, "{json}");
        assert_eq!(parsed["SSL_CERT_FILE"], cert.as_str());
    }
}
