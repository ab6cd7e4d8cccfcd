//! A receiver's address (a Graph `notificationUrl`, a Box webhook `address`), parsed once when a
//! subscription is made, and the rule on which schemes are allowed.
//!
//! Both services call only public `https://` addresses (Graph: "must be HTTPS",
//! <https://learn.microsoft.com/en-us/graph/change-notifications-delivery-webhooks>; Box: HTTPS on
//! port 443, <https://developer.box.com/guides/webhooks/v2/limitations-v2/>). The emulator also
//! takes `http://`, so a test's receiver can be a plain socket on loopback; `--require-https-receivers`
//! gives the real rule back. An `https://` receiver is called over TLS (`client`, `trust`).

use std::fmt;
use std::sync::Arc;

use axum::http::uri::{Authority, PathAndQuery, Scheme};
use axum::http::Uri;

/// Where deliveries go: an absolute `http(s)://host[:port]/path?query`. Every delivery to it
/// holds it, so a clone is one reference count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Receiver(Arc<Parts>);

#[derive(Debug, PartialEq, Eq)]
struct Parts {
    tls: bool,
    authority: Authority,
    host: Arc<str>,
    port: u16,
    path_and_query: PathAndQuery,
    /// The whole address, as every attempt's record names it: made once, shared by each.
    url: Arc<str>,
}

/// Why an address cannot be a receiver. The faces word it in their own envelopes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum ReceiverError {
    #[error("is not an absolute http:// or https:// URL")]
    NotAbsolute,
    #[error("must use https:// (the emulator runs with --require-https-receivers)")]
    HttpsRequired,
}

/// What the emulator accepts as a receiver (`--require-https-receivers`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum SchemeRule {
    /// `http://` and `https://`, on any host: the emulator's default, for local receivers.
    #[default]
    HttpOrHttps,
    /// `https://` only, as the real services require.
    HttpsOnly,
}

impl Receiver {
    pub fn parse(address: &str, rule: SchemeRule) -> Result<Self, ReceiverError> {
        // Bounded by the request body the address came in; `Uri` refuses what HTTP cannot carry.
        let uri: Uri = address.parse().map_err(|_| ReceiverError::NotAbsolute)?;
        let tls = match uri.scheme() {
            Some(s) if *s == Scheme::HTTPS => true,
            Some(s) if *s == Scheme::HTTP => false,
            _ => return Err(ReceiverError::NotAbsolute),
        };
        if !tls && rule == SchemeRule::HttpsOnly {
            return Err(ReceiverError::HttpsRequired);
        }
        let authority = uri.authority().ok_or(ReceiverError::NotAbsolute)?.clone();
        if authority.host().is_empty() || authority.as_str().contains('@') {
            return Err(ReceiverError::NotAbsolute);
        }
        let host = authority
            .host()
            .trim_start_matches('[')
            .trim_end_matches(']')
            .into();
        let port = authority.port_u16().unwrap_or(if tls { 443 } else { 80 });
        let path_and_query = uri
            .path_and_query()
            .cloned()
            .unwrap_or_else(|| PathAndQuery::from_static("/"));
        Ok(Self::new(tls, authority, host, port, path_and_query))
    }

    fn new(
        tls: bool,
        authority: Authority,
        host: Arc<str>,
        port: u16,
        path_and_query: PathAndQuery,
    ) -> Self {
        let scheme = if tls { "https" } else { "http" };
        let url = format!("{scheme}://{authority}{path_and_query}").into();
        Self(Arc::new(Parts {
            tls,
            authority,
            host,
            port,
            path_and_query,
            url,
        }))
    }

    /// The address, `http(s)://authority/path?query`.
    pub fn url(&self) -> Arc<str> {
        self.0.url.clone()
    }

    pub fn tls(&self) -> bool {
        self.0.tls
    }

    pub fn host(&self) -> &str {
        &self.0.host
    }

    pub fn port(&self) -> u16 {
        self.0.port
    }

    /// The `Host` header's value.
    pub fn authority(&self) -> &str {
        self.0.authority.as_str()
    }

    pub fn path_and_query(&self) -> &str {
        self.0.path_and_query.as_str()
    }

    /// The same receiver with `name=value` added to its query, form-encoded (Graph's validation
    /// request keeps the query the subscriber gave and adds `validationToken`).
    pub fn with_query_param(&self, name: &str, value: &str) -> Self {
        let encoded: String = url_encode(value);
        let pq = self.0.path_and_query.as_str();
        let joined = match pq.contains('?') {
            true => format!("{pq}&{name}={encoded}"),
            false => format!("{pq}?{name}={encoded}"),
        };
        let path_and_query = (joined.parse()).unwrap_or_else(|_| self.0.path_and_query.clone());
        Self::new(
            self.0.tls,
            self.0.authority.clone(),
            self.0.host.clone(),
            self.0.port,
            path_and_query,
        )
    }
}

impl fmt::Display for Receiver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.url)
    }
}

/// Percent-encodes everything but unreserved characters (RFC 3986 §2.3), so a value with
/// spaces and colons survives as one query parameter.
fn url_encode(value: &str) -> String {
    use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
    const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    utf8_percent_encode(value, QUERY_VALUE).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_parse_or_are_refused_with_a_reason() {
        let cases = [
            (
                "http://127.0.0.1:9000/hook?x=1",
                SchemeRule::HttpOrHttps,
                Ok("http://127.0.0.1:9000/hook?x=1"),
            ),
            (
                "https://hooks.example/n",
                SchemeRule::HttpsOnly,
                Ok("https://hooks.example/n"),
            ),
            (
                "http://[::1]:80",
                SchemeRule::HttpOrHttps,
                Ok("http://[::1]:80/"),
            ),
            (
                "http://127.0.0.1/h",
                SchemeRule::HttpsOnly,
                Err(ReceiverError::HttpsRequired),
            ),
            (
                "/relative/path",
                SchemeRule::HttpOrHttps,
                Err(ReceiverError::NotAbsolute),
            ),
            (
                "ftp://host/x",
                SchemeRule::HttpOrHttps,
                Err(ReceiverError::NotAbsolute),
            ),
            (
                "http://user:pw@host/x",
                SchemeRule::HttpOrHttps,
                Err(ReceiverError::NotAbsolute),
            ),
            (
                "not a url",
                SchemeRule::HttpOrHttps,
                Err(ReceiverError::NotAbsolute),
            ),
        ];
        for (address, rule, expected) in cases {
            let parsed = Receiver::parse(address, rule).map(|r| r.to_string());
            assert_eq!(
                parsed.as_deref().map_err(Clone::clone),
                expected,
                "{address}"
            );
        }
    }

    #[test]
    fn a_query_parameter_is_added_encoded_after_the_query_kept() {
        let receiver = Receiver::parse("http://h/hook?a=1", SchemeRule::HttpOrHttps).unwrap();
        let validation = receiver.with_query_param("validationToken", "Validation: a b");
        assert_eq!(
            validation.to_string(),
            "http://h/hook?a=1&validationToken=Validation%3A%20a%20b"
        );
    }
}
