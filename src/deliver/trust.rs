//! Which certificates an `https://` receiver may present: the TLS client configuration every
//! delivery shares, built once, on the first `https://` call, from three sources of roots:
//!
//! - the emulator's own local CA (`--tls-self-signed DIR` writes `DIR/cert.pem`), so a receiver
//!   serving the certificate the emulator made is trusted with nothing more to set;
//! - `--receiver-ca-file FILE`, a PEM bundle (a test's own CA), read when the emulator starts so
//!   a wrong path is reported then, not as failed deliveries;
//! - the system's bundle: `SSL_CERT_FILE` if set, else Debian's
//!   `/etc/ssl/certs/ca-certificates.crt`, the file OpenSSL and curl read there.
//!
//! Built on first use rather than at start: most emulators never call an `https://` receiver,
//! and the system bundle is a few hundred certificates to parse.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use tokio_rustls::rustls::crypto::ring;
use tokio_rustls::rustls::pki_types::CertificateDer;
use tokio_rustls::rustls::{ClientConfig, RootCertStore};

/// The system bundle when `SSL_CERT_FILE` is not set (Debian, Ubuntu and their containers).
const SYSTEM_BUNDLE: &str = "/etc/ssl/certs/ca-certificates.crt";

/// Why a PEM bundle gave no certificates.
#[derive(Debug, thiserror::Error)]
pub(crate) enum BundleError {
    #[error("cannot read it: {0}")]
    Read(#[from] std::io::Error),
    #[error("it is not PEM: {0}")]
    Pem(#[from] pem::PemError),
    #[error("it holds no PEM certificate")]
    Empty,
}

/// The roots deliveries trust, and the client configuration made from them once needed.
#[derive(Debug, Default)]
pub(crate) struct Trust {
    /// The emulator's own CA certificate, when it writes one (read when first needed: the
    /// embedded emulator writes it after its state is assembled).
    own_ca: Option<PathBuf>,
    /// `--receiver-ca-file`'s certificates.
    extra: Vec<CertificateDer<'static>>,
    config: OnceLock<Arc<ClientConfig>>,
}

impl Trust {
    pub fn new(own_ca: Option<PathBuf>, extra: Vec<CertificateDer<'static>>) -> Self {
        Self {
            own_ca,
            extra,
            config: OnceLock::new(),
        }
    }

    /// The client configuration, built on the first call.
    pub fn client_config(&self) -> Arc<ClientConfig> {
        self.config.get_or_init(|| Arc::new(self.build())).clone()
    }

    fn build(&self) -> ClientConfig {
        let mut roots = RootCertStore::empty();
        roots.add_parsable_certificates(self.extra.iter().cloned());
        for path in self.own_ca.iter().cloned().chain(system_bundle()) {
            match read_bundle(&path) {
                Ok(certificates) => {
                    roots.add_parsable_certificates(certificates);
                }
                // A missing system bundle only narrows what is trusted; say so once.
                Err(error) => tracing::warn!(
                    path = %path.display(),
                    %error,
                    "https receivers: certificates not trusted"
                ),
            }
        }
        let mut config = ClientConfig::builder_with_provider(Arc::new(ring::default_provider()))
            .with_safe_default_protocol_versions()
            .expect("ring's provider supports rustls' default protocol versions")
            .with_root_certificates(roots)
            .with_no_client_auth();
        // The exchange is HTTP/1.1 only (`client`), so that is all a receiver is offered.
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        config
    }
}

/// `SSL_CERT_FILE`, else the Debian path if it is there.
fn system_bundle() -> Option<PathBuf> {
    match std::env::var_os("SSL_CERT_FILE") {
        Some(path) if !path.is_empty() => Some(PathBuf::from(path)),
        _ => Some(PathBuf::from(SYSTEM_BUNDLE)).filter(|path| path.is_file()),
    }
}

/// The certificates in a PEM file; other blocks (keys, CRLs) are passed over.
pub(crate) fn read_bundle(path: &Path) -> Result<Vec<CertificateDer<'static>>, BundleError> {
    let text = std::fs::read(path)?;
    let certificates: Vec<CertificateDer<'static>> = pem::parse_many(text)?
        .into_iter()
        .filter(|block| block.tag() == "CERTIFICATE")
        .map(|block| CertificateDer::from(block.into_contents()))
        .collect();
    match certificates.is_empty() {
        true => Err(BundleError::Empty),
        false => Ok(certificates),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bundle_gives_its_certificates_and_passes_over_other_blocks() {
        let dir = std::env::temp_dir().join(format!("restore-mock-trust-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = rcgen::CertificateParams::new(vec!["localhost".to_owned()])
            .unwrap()
            .self_signed(&key)
            .unwrap();
        let cases = [
            ("both.pem", cert.pem() + &key.serialize_pem(), Ok(1)),
            (
                "key.pem",
                key.serialize_pem(),
                Err("it holds no PEM certificate"),
            ),
            (
                "empty.pem",
                String::new(),
                Err("it holds no PEM certificate"),
            ),
        ];
        for (name, text, expected) in cases {
            let path = dir.join(name);
            std::fs::write(&path, text).unwrap();
            let read = read_bundle(&path)
                .map(|certificates| certificates.len())
                .map_err(|e| e.to_string());
            assert_eq!(read, expected.map_err(str::to_owned), "{name}");
        }
        let missing = read_bundle(&dir.join("missing.pem"));
        assert!(matches!(missing, Err(BundleError::Read(_))), "{missing:?}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
