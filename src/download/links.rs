//! Signed download links: the token in a `/_content/{token}` URL names one version and when the
//! link expires, with a MAC that only this process can make, so a link works without
//! `Authorization` (as SharePoint's `tempauth` and Box's `dl.boxcloud.com` URLs do) yet cannot
//! be guessed from the ids the APIs show, altered, or used after its expiry.
//!
//! The key is drawn at start, or derived from the frozen start instant, so that two runs with
//! the same frozen clock hand out byte-identical links (the replay guarantee).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::{DateTime, TimeDelta, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::store::{Version, VersionId};

/// `@microsoft.graph.downloadUrl` lives about an hour (its description in
/// <https://learn.microsoft.com/en-us/graph/api/resources/driveitem>).
pub(crate) const GRAPH_DOWNLOAD_URL: TimeDelta = TimeDelta::hours(1);
/// The `Location` of Graph's content redirects lives "a few minutes"
/// (<https://learn.microsoft.com/en-us/graph/api/driveitem-get-content>).
pub(crate) const GRAPH_REDIRECT: TimeDelta = TimeDelta::minutes(10);
/// Box's download redirects point to short-lived `dl.boxcloud.com` URLs
/// (<https://developer.box.com/guides/downloads/>); Box publishes no lifetime, so it is minutes,
/// like Graph's redirects (pinned by `a_box_download_redirect_lives_fifteen_minutes`).
pub(crate) const BOX_REDIRECT: TimeDelta = TimeDelta::minutes(15);

/// The links the admin API shows its page: long enough for someone looking at the page.
pub(crate) const ADMIN_LINK: TimeDelta = TimeDelta::hours(1);

/// What a link's MAC is cut to: 128 bits, beyond guessing over HTTP.
const MAC_LEN: usize = 16;
/// Version id, expiry (Unix seconds), reach, MAC.
const TOKEN_LEN: usize = 8 + 8 + 1 + MAC_LEN;

/// Who a link is for, which decides whether it may serve a version in the trash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reach {
    /// Handed out by an API: not for a version in the trash, which neither API lets a client
    /// download (Box: pinned by
    /// `a_download_with_version_serves_that_version_and_a_trashed_one_is_404`, as Box does not
    /// say).
    Api = 0,
    /// Shown by the admin API, whose page lets one inspect every version, trashed ones too.
    Admin = 1,
}

/// Makes and checks download links.
pub(crate) struct LinkSigner {
    /// HMAC-SHA256 already keyed: keying hashes two blocks, and a listing of 100 items signs 100
    /// links, so each MAC starts from a clone of this instead.
    keyed: Hmac<Sha256>,
}

impl LinkSigner {
    /// With `seed` (the frozen start instant), links depend on it alone; without, on a key drawn
    /// now, so no two processes share links.
    pub fn new(seed: Option<i64>) -> Self {
        let key = crate::download::secret::key("restore-mock download links", seed);
        Self {
            keyed: Hmac::<Sha256>::new_from_slice(&key).expect("HMAC takes a key of any length"),
        }
    }

    /// The absolute link to `version`'s bytes for an API client, valid until `expires`.
    pub fn url(&self, origin: &str, version: &Version, expires: DateTime<Utc>) -> String {
        self.url_for(Reach::Api, origin, version, expires)
    }

    /// The link to `version`'s bytes for `reach`, valid until `expires`.
    pub fn url_for(
        &self,
        reach: Reach,
        origin: &str,
        version: &Version,
        expires: DateTime<Utc>,
    ) -> String {
        let expires = expires.timestamp();
        let mut token = [0u8; TOKEN_LEN];
        token[..8].copy_from_slice(&version.id.0.to_be_bytes());
        token[8..16].copy_from_slice(&expires.to_be_bytes());
        token[16] = reach as u8;
        token[17..].copy_from_slice(&self.mac(version, expires, reach));
        // Built by hand rather than with `format!`: a listing makes one link per item.
        const PATH: &str = "/_content/";
        let mut url = String::with_capacity(origin.len() + PATH.len() + TOKEN_LEN.div_ceil(3) * 4);
        url.push_str(origin);
        url.push_str(PATH);
        URL_SAFE_NO_PAD.encode_string(token, &mut url);
        url
    }

    /// What a token claims: the version it names and its expiry. Nothing is trusted until
    /// `verify` has checked the claim against the version the store holds.
    pub fn claim(&self, token: &str) -> Option<Claim> {
        let bytes = URL_SAFE_NO_PAD.decode(token).ok()?;
        let bytes: [u8; TOKEN_LEN] = bytes.try_into().ok()?;
        let mut mac = [0u8; MAC_LEN];
        mac.copy_from_slice(&bytes[17..]);
        Some(Claim {
            version: VersionId(u64::from_be_bytes(bytes[..8].try_into().ok()?)),
            expires: i64::from_be_bytes(bytes[8..16].try_into().ok()?),
            reach: match bytes[16] {
                0 => Reach::Api,
                1 => Reach::Admin,
                _ => return None,
            },
            mac,
        })
    }

    /// Whether `claim` is a link this process made for `version` (the store's version under the
    /// claimed id), still valid at `now`, and allowed to serve it (a version in the trash only to
    /// the admin API's links). The MAC covers the version's creation time and content hash as
    /// well as its id, so an id the store reuses after a reset names other bytes, and the old
    /// link stops working.
    pub fn verify(&self, claim: &Claim, version: &Version, now: DateTime<Utc>) -> bool {
        if version.trashed_at.is_some() && claim.reach != Reach::Admin {
            return false;
        }
        let expected = self.mac(version, claim.expires, claim.reach);
        // Compared in constant time: timing must not tell how much of a forged MAC was right.
        let same = expected
            .iter()
            .zip(&claim.mac)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
        same && version.id == claim.version && now.timestamp() < claim.expires
    }

    /// The token of a sharing link's URL (`/_share/{token}`): the permission's id and a MAC
    /// over it, so a link cannot be made from an id alone. It does not expire: the link lives as
    /// long as its permission, which the store decides.
    pub fn share_token(&self, permission: &str) -> String {
        let mut token = permission.as_bytes().to_vec();
        token.extend_from_slice(&self.share_mac(permission));
        URL_SAFE_NO_PAD.encode(token)
    }

    /// The permission id a sharing token names, if this process made it.
    pub fn share_claim(&self, token: &str) -> Option<String> {
        let bytes = URL_SAFE_NO_PAD.decode(token).ok()?;
        let split = bytes.len().checked_sub(MAC_LEN)?;
        let (id, mac) = bytes.split_at(split);
        let id = std::str::from_utf8(id).ok()?;
        let expected = self.share_mac(id);
        let same = expected
            .iter()
            .zip(mac)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
        (same && !id.is_empty()).then(|| id.to_owned())
    }

    fn share_mac(&self, permission: &str) -> [u8; MAC_LEN] {
        let mut mac = self.keyed.clone();
        mac.update(b"share\0");
        mac.update(permission.as_bytes());
        let mut out = [0u8; MAC_LEN];
        out.copy_from_slice(&mac.finalize().into_bytes()[..MAC_LEN]);
        out
    }

    fn mac(&self, version: &Version, expires: i64, reach: Reach) -> [u8; MAC_LEN] {
        let mut mac = self.keyed.clone();
        mac.update(b"download\0");
        mac.update(&version.id.0.to_be_bytes());
        mac.update(&expires.to_be_bytes());
        mac.update(&[reach as u8]);
        mac.update(&version.created_at.timestamp_micros().to_be_bytes());
        mac.update(&version.content.blake3);
        let mut out = [0u8; MAC_LEN];
        out.copy_from_slice(&mac.finalize().into_bytes()[..MAC_LEN]);
        out
    }
}

/// What a token says about itself, before it is checked.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Claim {
    pub version: VersionId,
    expires: i64,
    reach: Reach,
    mac: [u8; MAC_LEN],
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::store::content::Content;
    use crate::store::User;

    fn version(id: u64, text: &str) -> Version {
        let user = Arc::new(User {
            id: "u".into(),
            login: "u@example.com".into(),
            name: "U".into(),
        });
        Version {
            id: VersionId(id),
            number: 1,
            minor: 0,
            content: Arc::new(Content::new(text.as_bytes().to_vec().into())),
            name: "a.txt".into(),
            created_at: DateTime::UNIX_EPOCH,
            created_by: user,
            trashed_at: None,
            trashed_by: None,
            restored_at: None,
            restored_by: None,
            restored_from: None,
        }
    }

    fn token(url: &str) -> &str {
        url.rsplit('/').next().unwrap()
    }

    #[test]
    fn a_link_holds_for_its_version_until_it_expires() {
        let signer = LinkSigner::new(Some(1));
        let v = version(5, "bytes");
        let expires = DateTime::UNIX_EPOCH + TimeDelta::minutes(10);
        let url = signer.url("http://h", &v, expires);
        let claim = signer.claim(token(&url)).unwrap();
        assert_eq!(claim.version, VersionId(5));
        assert!(signer.verify(&claim, &v, expires - TimeDelta::seconds(1)));
        assert!(!signer.verify(&claim, &v, expires), "expired");
        let other = version(5, "other bytes");
        assert!(
            !signer.verify(&claim, &other, DateTime::UNIX_EPOCH),
            "reused id"
        );
        assert!(
            !LinkSigner::new(Some(2)).verify(&claim, &v, DateTime::UNIX_EPOCH),
            "key"
        );
        assert_eq!(
            url,
            LinkSigner::new(Some(1)).url("http://h", &v, expires),
            "seeded"
        );
    }

    #[test]
    fn altered_tokens_claim_nothing_or_fail_to_verify() {
        let signer = LinkSigner::new(None);
        let v = version(5, "bytes");
        let url = signer.url("http://h", &v, DateTime::UNIX_EPOCH + TimeDelta::hours(1));
        let good = token(&url);
        for bad in ["", "5", "not base64!", &good[1..], &format!("{good}A")] {
            assert!(signer.claim(bad).is_none(), "{bad:?}");
        }
        let mut bytes = URL_SAFE_NO_PAD.decode(good).unwrap();
        for i in 0..bytes.len() {
            bytes[i] ^= 1;
            let altered = URL_SAFE_NO_PAD.encode(&bytes);
            let verified = signer
                .claim(&altered)
                .is_some_and(|claim| signer.verify(&claim, &v, DateTime::UNIX_EPOCH));
            assert!(!verified, "byte {i} flipped");
            bytes[i] ^= 1;
        }
    }
}
