//! JWT assertions a client signs to ask for a token (Box's JWT grant): their claims, and the
//! RS256 signature checked against the client's public key when one is configured.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ring::signature::{UnparsedPublicKey, RSA_PKCS1_2048_8192_SHA256};
use serde_json::{Map, Value};

/// The DER of the `rsaEncryption` algorithm id (1.2.840.113549.1.1.1), which an RSA key's
/// `SubjectPublicKeyInfo` names.
const RSA_ENCRYPTION_OID: [u8; 11] = [
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01,
];

/// An assertion longer than this is refused unread: real ones are under 2 KiB.
const MAX_ASSERTION: usize = 16 * 1024;

/// Why an assertion or a key was refused; the token endpoint words it in its own error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AssertionError {
    #[error("the assertion is not a JWT")]
    Malformed,
    #[error("the assertion's signature is not valid for the client's public key")]
    BadSignature,
    #[error("the key is not PEM")]
    KeyNotPem,
    #[error("the key is not an RSA public key")]
    KeyNotRsa,
}

/// An RSA public key, as configured and as ring checks signatures with it.
#[derive(Debug, Clone)]
pub struct PublicKey {
    pem: String,
    /// PKCS#1 `RSAPublicKey` DER.
    rsa: Vec<u8>,
}

impl PublicKey {
    /// A `PUBLIC KEY` (SubjectPublicKeyInfo) or `RSA PUBLIC KEY` (PKCS#1) PEM block.
    pub fn from_pem(text: &str) -> Result<Self, AssertionError> {
        let block = pem::parse(text).map_err(|_| AssertionError::KeyNotPem)?;
        let rsa = match block.tag() {
            "RSA PUBLIC KEY" => block.contents().to_vec(),
            "PUBLIC KEY" => rsa_of_spki(block.contents()).ok_or(AssertionError::KeyNotRsa)?,
            _ => return Err(AssertionError::KeyNotRsa),
        };
        Ok(Self {
            pem: text.to_owned(),
            rsa,
        })
    }

    pub fn pem(&self) -> &str {
        &self.pem
    }
}

/// A decoded JWT: its header and claims. Only the signature's check needs the key.
#[derive(Debug, Clone)]
pub struct Assertion {
    pub header: Map<String, Value>,
    pub claims: Map<String, Value>,
    signed: Vec<u8>,
    signature: Vec<u8>,
}

impl Assertion {
    /// Decodes `jwt` (three base64url parts, header and claims JSON objects) without checking it.
    pub fn decode(jwt: &str) -> Result<Self, AssertionError> {
        if jwt.len() > MAX_ASSERTION {
            return Err(AssertionError::Malformed);
        }
        let mut parts = jwt.split('.');
        let (Some(header), Some(claims), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(AssertionError::Malformed);
        };
        let object = |part: &str| -> Result<Map<String, Value>, AssertionError> {
            let bytes = URL_SAFE_NO_PAD
                .decode(part)
                .map_err(|_| AssertionError::Malformed)?;
            serde_json::from_slice(&bytes).map_err(|_| AssertionError::Malformed)
        };
        Ok(Self {
            header: object(header)?,
            claims: object(claims)?,
            signed: jwt.as_bytes()[..header.len() + 1 + claims.len()].to_vec(),
            signature: URL_SAFE_NO_PAD
                .decode(signature)
                .map_err(|_| AssertionError::Malformed)?,
        })
    }

    /// A string claim.
    pub fn claim(&self, name: &str) -> Option<&str> {
        self.claims.get(name).and_then(Value::as_str)
    }

    /// Checks an RS256 signature by `key` (the only algorithm box_sdk_gen signs with by
    /// default).
    pub fn verify(&self, key: &PublicKey) -> Result<(), AssertionError> {
        if self.header.get("alg").and_then(Value::as_str) != Some("RS256") {
            return Err(AssertionError::BadSignature);
        }
        UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, &key.rsa)
            .verify(&self.signed, &self.signature)
            .map_err(|_| AssertionError::BadSignature)
    }
}

/// The `RSAPublicKey` inside a `SubjectPublicKeyInfo` (RFC 5280 §4.1): `SEQUENCE { SEQUENCE {
/// rsaEncryption, NULL }, BIT STRING { 0 unused bits, RSAPublicKey } }`. ring checks the key
/// itself when it verifies.
fn rsa_of_spki(der: &[u8]) -> Option<Vec<u8>> {
    let (tag, info, _) = tlv(der)?;
    if tag != 0x30 {
        return None;
    }
    let (tag, algorithm, rest) = tlv(info)?;
    if tag != 0x30 || !algorithm.starts_with(&RSA_ENCRYPTION_OID) {
        return None;
    }
    let (tag, bits, _) = tlv(rest)?;
    match (tag, bits.split_first()) {
        (0x03, Some((0, key))) => Some(key.to_vec()),
        _ => None,
    }
}

/// One DER tag-length-value: the tag, the value and what follows it.
fn tlv(der: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = der.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = match first {
        n if n < 0x80 => (usize::from(n), rest),
        0x81..=0x83 => {
            let count = usize::from(first & 0x7f);
            let (bytes, rest) = (rest.get(..count)?, rest.get(count..)?);
            (bytes.iter().fold(0, |n, &b| n << 8 | usize::from(b)), rest)
        }
        _ => return None,
    };
    Some((tag, rest.get(..len)?, rest.get(len..)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_assertions_are_refused() {
        for (jwt, reason) in [
            ("", "empty"),
            ("a.b", "two parts"),
            ("a.b.c.d", "four parts"),
            ("!!.e30.", "header not base64url"),
            ("e30.W10.", "claims not an object"),
        ] {
            assert_eq!(
                Assertion::decode(jwt).unwrap_err(),
                AssertionError::Malformed,
                "{reason}"
            );
        }
        let ok = Assertion::decode("e30.eyJzdWIiOiI0MiJ9.").unwrap();
        assert_eq!(ok.claim("sub"), Some("42"));
    }

    #[test]
    fn a_key_that_is_not_rsa_pem_is_refused() {
        assert_eq!(
            PublicKey::from_pem("nope").unwrap_err(),
            AssertionError::KeyNotPem
        );
        let cert = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        assert_eq!(
            PublicKey::from_pem(cert).unwrap_err(),
            AssertionError::KeyNotRsa
        );
    }
}
