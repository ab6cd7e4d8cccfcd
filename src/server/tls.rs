//! HTTPS: a rustls server configuration from PEM files (`--tls-cert`, `--tls-key`), and a
//! local CA with a certificate it signed for `localhost`, the loopback addresses and any
//! `--tls-name` (`--tls-self-signed DIR`) for machines without openssl. rustls with the `ring` provider builds with the Rust toolchain
//! alone.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio_rustls::rustls::crypto::ring;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::TlsAcceptor;

/// Why HTTPS could not be set up; each names the file it is about.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: io::Error },
    #[error("{path} holds no PEM certificate")]
    NoCertificate { path: PathBuf },
    #[error("{path} holds no PEM private key")]
    NoKey { path: PathBuf },
    #[error("--tls-cert and --tls-key go together")]
    Incomplete,
    #[error("the certificate and key are not usable together: {0}")]
    Rejected(String),
    #[error("cannot make a self-signed certificate: {0}")]
    Generate(String),
    #[error("cannot write {path}: {source}")]
    Write { path: PathBuf, source: io::Error },
    #[error("--tls-name {0:?} is neither a DNS name nor an IP address")]
    Name(String),
}

/// Where `--tls-self-signed` wrote its files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelfSigned {
    /// The local CA's certificate: what clients trust (`REQUESTS_CA_BUNDLE`, `SSL_CERT_FILE`,
    /// `NODE_EXTRA_CA_CERTS`, curl `--cacert`), also served at `/__admin/ca.pem`.
    pub cert: PathBuf,
    /// The server's certificate followed by the CA's: the chain the server presents.
    pub chain: PathBuf,
    /// The server certificate's key.
    pub key: PathBuf,
}

/// The names a self-signed certificate is for: what a client on this machine dials.
const SELF_SIGNED_NAMES: [&str; 3] = ["localhost", "127.0.0.1", "::1"];

/// Writes a local CA (`cert.pem`) and a server certificate it signed for `localhost`,
/// `127.0.0.1`, `::1` and `more_names` (`server.pem`, `key.pem`) into `dir` (made if missing).
/// A name that is neither a DNS name nor an IP address is refused.
///
/// A CA rather than one self-signed certificate, because stricter verifiers refuse a server
/// certificate that is its own trust anchor: Python 3.13's default `VERIFY_X509_STRICT`
/// wants a CA with key usages and a leaf naming its authority key, and webpki (rustls) never
/// takes an end-entity certificate as an anchor. The file clients trust keeps its old name.
pub fn write_self_signed(dir: &Path, more_names: &[String]) -> Result<SelfSigned, TlsError> {
    use rcgen::{
        BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
        KeyUsagePurpose,
    };
    let failed = |e: rcgen::Error| TlsError::Generate(e.to_string());
    let ca_key = KeyPair::generate().map_err(failed)?;
    let mut ca = CertificateParams::new(Vec::<String>::new()).map_err(failed)?;
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "restore-mock local CA");
    ca.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let ca = ca.self_signed(&ca_key).map_err(failed)?;
    if let Some(bad) = more_names.iter().find(|n| !is_certificate_name(n)) {
        return Err(TlsError::Name(bad.clone()));
    }
    let names: Vec<String> = (SELF_SIGNED_NAMES.iter().map(|n| (*n).to_owned()))
        .chain(more_names.iter().cloned())
        .collect();
    let server_key = KeyPair::generate().map_err(failed)?;
    let mut server = CertificateParams::new(names).map_err(failed)?;
    server
        .distinguished_name
        .push(DnType::CommonName, "localhost");
    server.is_ca = IsCa::ExplicitNoCa;
    server.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    server.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    server.use_authority_key_identifier_extension = true;
    let server = server
        .signed_by(&server_key, &ca, &ca_key)
        .map_err(failed)?;
    std::fs::create_dir_all(dir).map_err(|source| TlsError::Write {
        path: dir.to_owned(),
        source,
    })?;
    let written = SelfSigned {
        cert: dir.join("cert.pem"),
        chain: dir.join("server.pem"),
        key: dir.join("key.pem"),
    };
    for (path, pem) in [
        (&written.cert, ca.pem()),
        (&written.chain, server.pem() + &ca.pem()),
        (&written.key, server_key.serialize_pem()),
    ] {
        std::fs::write(path, pem).map_err(|source| TlsError::Write {
            path: path.clone(),
            source,
        })?;
    }
    Ok(written)
}

/// A name a certificate can be for: an IP address, or a DNS name of letters, digits, `-` and
/// dots, whose first label may be the wildcard `*` (RFC 6125 §6.4.3).
fn is_certificate_name(name: &str) -> bool {
    let dns = |name: &str| {
        let labels = name.strip_prefix("*.").unwrap_or(name).split('.');
        name.len() <= 253
            && labels.into_iter().all(|label| {
                (1..=63).contains(&label.len())
                    && label
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            })
    };
    name.parse::<std::net::IpAddr>().is_ok() || dns(name)
}

/// The acceptor for a PEM certificate chain and private key. Only HTTP/1.1 is offered (ALPN).
pub(crate) fn acceptor(cert: &Path, key: &Path) -> Result<TlsAcceptor, TlsError> {
    let read = |path: &Path| {
        std::fs::read(path).map_err(|source| TlsError::Read {
            path: path.to_owned(),
            source,
        })
    };
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&read(cert)?)
        .filter_map(Result::ok)
        .collect();
    if chain.is_empty() {
        return Err(TlsError::NoCertificate {
            path: cert.to_owned(),
        });
    }
    let key = PrivateKeyDer::from_pem_slice(&read(key)?).map_err(|_| TlsError::NoKey {
        path: key.to_owned(),
    })?;
    let mut config = ServerConfig::builder_with_provider(Arc::new(ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|e| TlsError::Rejected(e.to_string()))?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|e| TlsError::Rejected(e.to_string()))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(config)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_certificate_name_is_an_address_or_a_dns_name() {
        for (name, expected, why) in [
            ("api.box.com", true, "a DNS name"),
            ("*.box.com", true, "a wildcard first label"),
            ("restore-mock", true, "one label"),
            ("10.0.0.7", true, "an IPv4 address"),
            ("::1", true, "an IPv6 address"),
            ("", false, "nothing"),
            ("a b", false, "a space"),
            ("box..com", false, "an empty label"),
            ("api.*.com", false, "a wildcard past the first label"),
            ("api.box.com:443", false, "a port"),
            ("https://api.box.com", false, "a URL"),
        ] {
            assert_eq!(is_certificate_name(name), expected, "{why}: {name:?}");
        }
    }
}
