//! The emulator's own token-signing key: RS256 JWTs, and the JWK set `jwks_uri` serves.
//!
//! The key is made on first use, not at start: an RSA key takes a noticeable fraction of a
//! second to generate (seconds in an unoptimised build), and most emulators (every API test,
//! most CI runs) never issue a Microsoft token. One key serves every emulator in a process, so
//! that a test binary starting hundreds of them generates it once. It is generated with `rsa` (ring cannot generate RSA keys) and then signs
//! with ring, which signs a few times faster than `rsa` and keeps its parsed key, so that
//! signing never limits a suite's sign-ins. Tokens are never meant to be verified by clients
//! (Graph's access tokens are opaque to apps,
//! <https://learn.microsoft.com/entra/identity-platform/access-tokens>), but the set is served
//! so that an app that does verify one can.

use std::sync::Arc;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use ring::rand::SystemRandom;
use ring::signature::{RsaKeyPair, RSA_PKCS1_SHA256};
use rsa::pkcs8::EncodePrivateKey as _;
use rsa::traits::PublicKeyParts as _;
use serde::Serialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use tokio::sync::OnceCell;

/// How every token the emulator signs starts: its header's first 33 bytes
/// (`{"alg":"RS256","kid":"restore-moc`), base64url-encoded. The identity registry refuses a token
/// with this start that it does not hold (expired and swept, or issued before a reset) rather
/// than signing it in as a new user, as it does for its own opaque tokens.
pub const ISSUED_PREFIX: &str = "eyJhbGciOiJSUzI1NiIsImtpZCI6InJlc3RvcmUtbW9j";

/// ring's smallest RSA signing key, and what Entra itself uses.
const KEY_BITS: usize = 2048;

/// The process's key, made on first use.
static KEY: OnceCell<Arc<SigningKey>> = OnceCell::const_new();

/// A handle on the signing key (the process's, see the module's `//!`).
#[derive(Default)]
pub(crate) struct Signer;

/// A parsed key pair with its public half as a JWK.
pub(crate) struct SigningKey {
    pair: RsaKeyPair,
    rng: SystemRandom,
    /// The JWT header every token starts with, base64url-encoded, with its `kid`.
    header: String,
    jwk: Value,
}

/// Why no key could be made: the OS gave no randomness, or the generated key was refused.
#[derive(Debug, thiserror::Error)]
#[error("cannot make the token-signing key: {0}")]
pub(crate) struct KeyError(String);

impl Signer {
    /// The key, generated on a blocking thread the first time (concurrent first callers wait
    /// for the same one).
    pub async fn key(&self) -> Result<Arc<SigningKey>, KeyError> {
        KEY.get_or_try_init(|| async {
            tokio::task::spawn_blocking(SigningKey::generate)
                .await
                .map_err(|e| KeyError(e.to_string()))?
                .map(Arc::new)
        })
        .await
        .cloned()
    }
}

impl SigningKey {
    fn generate() -> Result<Self, KeyError> {
        let private = rsa::RsaPrivateKey::new(&mut rand_core::OsRng, KEY_BITS)
            .map_err(|e| KeyError(e.to_string()))?;
        let der = private
            .to_pkcs8_der()
            .map_err(|e| KeyError(e.to_string()))?;
        let pair = RsaKeyPair::from_pkcs8(der.as_bytes()).map_err(|e| KeyError(e.to_string()))?;
        let n = private.n().to_bytes_be();
        let e = private.e().to_bytes_be();
        // The key id is the key's own fingerprint, so that it names this key and no other, after
        // a fixed start that makes every token's start fixed (`ISSUED_PREFIX`).
        let kid = format!(
            "restore-mock-{}",
            URL_SAFE_NO_PAD.encode(&Sha256::digest(&n)[..20])
        );
        // serde_json writes keys in order, so the header starts as `ISSUED_PREFIX` says.
        let header = URL_SAFE_NO_PAD.encode(
            json!({"alg": "RS256", "kid": kid, "typ": "JWT"})
                .to_string()
                .as_bytes(),
        );
        let jwk = json!({
            "kty": "RSA",
            "use": "sig",
            "alg": "RS256",
            "kid": kid,
            "n": URL_SAFE_NO_PAD.encode(&n),
            "e": URL_SAFE_NO_PAD.encode(&e),
        });
        Ok(Self {
            pair,
            rng: SystemRandom::new(),
            header,
            jwk,
        })
    }

    /// `claims` as a compact JWS: `header.claims.signature`, each base64url.
    pub fn sign(&self, claims: &impl Serialize) -> String {
        let payload = serde_json::to_vec(claims).expect("claims serialize");
        let mut token = String::with_capacity(self.header.len() + payload.len() * 4 / 3 + 350);
        token.push_str(&self.header);
        token.push('.');
        URL_SAFE_NO_PAD.encode_string(&payload, &mut token);
        let mut signature = vec![0; self.pair.public().modulus_len()];
        self.pair
            .sign(
                &RSA_PKCS1_SHA256,
                &self.rng,
                token.as_bytes(),
                &mut signature,
            )
            .expect("a 2048-bit key signs any message");
        token.push('.');
        URL_SAFE_NO_PAD.encode_string(&signature, &mut token);
        token
    }

    /// The public key as `discovery/v2.0/keys` lists it.
    pub fn jwk(&self) -> &Value {
        &self.jwk
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_token_verifies_with_the_published_key() {
        let signer = Signer;
        let key = signer.key().await.unwrap();
        let token = key.sign(&json!({"sub": "x"}));
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts.len(), 3);
        let n = URL_SAFE_NO_PAD
            .decode(key.jwk()["n"].as_str().unwrap())
            .unwrap();
        let e = URL_SAFE_NO_PAD
            .decode(key.jwk()["e"].as_str().unwrap())
            .unwrap();
        let public = ring::signature::RsaPublicKeyComponents { n: &n, e: &e };
        let signed = format!("{}.{}", parts[0], parts[1]);
        let signature = URL_SAFE_NO_PAD.decode(parts[2]).unwrap();
        public
            .verify(
                &ring::signature::RSA_PKCS1_2048_8192_SHA256,
                signed.as_bytes(),
                &signature,
            )
            .expect("the signature verifies");
        let header: Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).unwrap()).unwrap();
        assert_eq!(header["kid"], key.jwk()["kid"]);
        assert!(token.starts_with(ISSUED_PREFIX), "{token}");
        // The same key on every call.
        assert!(Arc::ptr_eq(&key, &signer.key().await.unwrap()));
    }
}
