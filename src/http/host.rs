//! The names the emulator goes by: reading a request's `Host` (one well-formed `host[:port]`, or
//! none), the names the open admin API answers to, and the two options that add to them,
//! `--public-url` and `--allowed-host`.
//!
//! A `Host` is well-formed when it is one header holding a DNS name (letters, digits, `-`, `_`,
//! `.`), an IPv4 address or a bracketed IPv6 address, with an optional decimal port: nothing
//! that could smuggle another authority into a URL built from it (`127.0.0.1:1@evil.example`,
//! `a/b`, two `Host` headers).

use std::fmt;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::str::FromStr;

use axum::http::{header, HeaderMap};

/// A `host[:port]` as a `Host` header or an option names it, the host lowercased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostPort {
    /// A DNS name, an IPv4 address, or an IPv6 address in brackets.
    host: String,
    port: Option<u16>,
}

impl HostPort {
    /// The request's `Host`, when it carries exactly one and that one is well-formed.
    pub(crate) fn of_request(headers: &HeaderMap) -> Option<Self> {
        let mut hosts = headers.get_all(header::HOST).iter();
        let (Some(host), None) = (hosts.next(), hosts.next()) else {
            return None;
        };
        host.to_str().ok()?.parse().ok()
    }

    /// The address, when the host is an IP address.
    fn ip(&self) -> Option<IpAddr> {
        let bare = self.host.trim_start_matches('[').trim_end_matches(']');
        bare.parse().ok()
    }

    /// Whether the name can only reach this machine: `localhost` and its subdomains (RFC 6761
    /// §6.3; browsers resolve them to loopback without asking DNS), `127.0.0.0/8` and `[::1]`.
    fn is_loopback(&self) -> bool {
        match self.ip() {
            Some(ip) => ip.to_canonical().is_loopback(),
            None => self.host == "localhost" || self.host.ends_with(".localhost"),
        }
    }
}

impl FromStr for HostPort {
    type Err = HostError;

    fn from_str(text: &str) -> Result<Self, HostError> {
        let bad = || HostError(text.to_owned());
        let (host, port) = if let Some(rest) = text.strip_prefix('[') {
            let (address, after) = rest.split_once(']').ok_or_else(bad)?;
            address.parse::<Ipv6Addr>().map_err(|_| bad())?;
            let port = match after {
                "" => None,
                _ => Some(after.strip_prefix(':').ok_or_else(bad)?),
            };
            (&text[..address.len() + 2], port)
        } else {
            match text.split_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (text, None),
            }
        };
        let name_ok = host.starts_with('[')
            || (!host.is_empty()
                && host.len() <= 253
                && (host.bytes()).all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)));
        let port = match port {
            None => None,
            Some(digits) if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => {
                Some(digits.parse::<u16>().map_err(|_| bad())?)
            }
            Some(_) => return Err(bad()),
        };
        if !name_ok {
            return Err(bad());
        }
        Ok(Self {
            host: host.to_ascii_lowercase(),
            port,
        })
    }
}

impl fmt::Display for HostPort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.port {
            Some(port) => write!(f, "{}:{port}", self.host),
            None => f.write_str(&self.host),
        }
    }
}

/// A text that is not one well-formed `host[:port]`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a host[:port] (a DNS name, an IPv4 address or a bracketed IPv6 address)")]
pub struct HostError(String);

/// `--public-url`: the scheme, host and port clients reach the emulator by, when that is not what
/// they send as `Host` (a proxy in between, a container's name). Every absolute link the emulator
/// writes starts with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl {
    scheme: &'static str,
    authority: HostPort,
}

impl PublicUrl {
    /// `scheme://host[:port]`, without a trailing `/`.
    pub fn origin(&self) -> String {
        format!("{}://{}", self.scheme, self.authority)
    }
}

impl FromStr for PublicUrl {
    type Err = PublicUrlError;

    fn from_str(text: &str) -> Result<Self, PublicUrlError> {
        let bad = |why| PublicUrlError {
            text: text.to_owned(),
            why,
        };
        let (scheme, rest) = text.split_once("://").ok_or(bad("it has no scheme"))?;
        let scheme = match scheme.to_ascii_lowercase().as_str() {
            "http" => "http",
            "https" => "https",
            _ => return Err(bad("its scheme is neither http nor https")),
        };
        let authority = rest.strip_suffix('/').unwrap_or(rest);
        if authority.contains(['/', '?', '#']) {
            return Err(bad(
                "it has a path, query or fragment (links are made at its root)",
            ));
        }
        let authority = authority
            .parse()
            .map_err(|_| bad("its host is not a host[:port]"))?;
        Ok(Self { scheme, authority })
    }
}

impl fmt::Display for PublicUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.origin())
    }
}

/// Why a `--public-url` was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{text:?} is not a public URL such as http://restore-mock:8080: {why}")]
pub struct PublicUrlError {
    text: String,
    why: &'static str,
}

/// `--allowed-host`: one more name the open admin API answers to, as `host` (any port) or
/// `host:port`; a URL such as `http://restore-mock:8080` (a compose file's) is taken for its
/// `host:port`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowedHost(HostPort);

impl FromStr for AllowedHost {
    type Err = HostError;

    fn from_str(text: &str) -> Result<Self, HostError> {
        let bare = match text.split_once("://") {
            Some((_, rest)) => rest.strip_suffix('/').unwrap_or(rest),
            None => text,
        };
        bare.parse()
            .map(Self)
            .map_err(|_| HostError(text.to_owned()))
    }
}

impl fmt::Display for AllowedHost {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The names the open admin API answers to: loopback names, the address the request came in
/// on, the public URL's host, and `--allowed-host`'s. A DNS-rebinding page reaches the emulator
/// under a name of the attacker's, which is none of these.
pub(crate) struct KnownHosts<'a> {
    pub public_url: Option<&'a PublicUrl>,
    pub allowed: &'a [AllowedHost],
    /// The local address of the request's connection (the bound one, made concrete).
    pub local: SocketAddr,
}

impl KnownHosts<'_> {
    pub(crate) fn knows(&self, host: &HostPort) -> bool {
        let same = |known: &HostPort| {
            known.host == host.host && (known.port.is_none() || known.port == host.port)
        };
        host.is_loopback()
            || host
                .ip()
                .is_some_and(|ip| ip.to_canonical() == self.local.ip().to_canonical())
            || self.public_url.is_some_and(|url| same(&url.authority))
            || self.allowed.iter().any(|allowed| same(&allowed.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_one_plain_host_and_port_is_well_formed() {
        for (text, expected, why) in [
            (
                "127.0.0.1:8080",
                Some("127.0.0.1:8080"),
                "an address and a port",
            ),
            ("LocalHost", Some("localhost"), "a name, lowercased"),
            ("[::1]:80", Some("[::1]:80"), "a bracketed IPv6 address"),
            (
                "restore_mock.internal:1",
                Some("restore_mock.internal:1"),
                "an underscore",
            ),
            ("127.0.0.1:1@evil.example", None, "user info"),
            ("evil.example/x", None, "a path"),
            ("a:b", None, "a port that is not a number"),
            ("a:", None, "an empty port"),
            ("a:70000", None, "a port past 65535"),
            ("a:1:2", None, "two ports"),
            ("::1", None, "IPv6 without brackets"),
            ("[::1", None, "an unclosed bracket"),
            ("[nope]", None, "brackets around a name"),
            ("", None, "nothing"),
            ("a b", None, "a space"),
        ] {
            let parsed = text.parse::<HostPort>().ok().map(|h| h.to_string());
            assert_eq!(parsed.as_deref(), expected, "{why}: {text:?}");
        }
    }

    #[test]
    fn a_public_url_is_an_origin_and_nothing_more() {
        for (text, expected, why) in [
            (
                "http://restore-mock:8080",
                Ok("http://restore-mock:8080"),
                "a container's name",
            ),
            (
                "HTTPS://Mock.Example/",
                Ok("https://mock.example"),
                "a trailing slash",
            ),
            (
                "ftp://mock",
                Err("its scheme is neither http nor https"),
                "another scheme",
            ),
            ("mock:8080", Err("it has no scheme"), "no scheme"),
            (
                "http://mock/api",
                Err("it has a path, query or fragment (links are made at its root)"),
                "a path",
            ),
            (
                "http://a@b",
                Err("its host is not a host[:port]"),
                "user info",
            ),
        ] {
            let got = text
                .parse::<PublicUrl>()
                .map(|u| u.origin())
                .map_err(|e| e.why);
            assert_eq!(got, expected.map(str::to_owned), "{why}");
        }
    }

    #[test]
    fn the_known_hosts_are_loopback_the_local_address_and_the_options() {
        let allowed: Vec<AllowedHost> = ["restore-mock:8080", "http://proxy.lan/"]
            .iter()
            .map(|h| h.parse().unwrap())
            .collect();
        let public: PublicUrl = "https://mock.example".parse().unwrap();
        let known = KnownHosts {
            public_url: Some(&public),
            allowed: &allowed,
            local: "10.0.0.5:8080".parse().unwrap(),
        };
        for (host, expected, why) in [
            ("localhost:8080", true, "localhost"),
            ("app.localhost", true, "a subdomain of localhost"),
            ("127.0.0.2:1", true, "all of 127/8"),
            ("[::1]:8080", true, "IPv6 loopback"),
            ("10.0.0.5:8080", true, "the local address"),
            ("restore-mock:8080", true, "an allowed host and port"),
            (
                "restore-mock:9090",
                false,
                "an allowed host on another port",
            ),
            ("proxy.lan:1234", true, "an allowed host without a port"),
            ("mock.example", true, "the public URL's host"),
            ("evil.example:8080", false, "a rebinding page's name"),
            (
                "localhost.evil.example",
                false,
                "localhost as a label of another name",
            ),
            ("10.0.0.6:8080", false, "another address"),
        ] {
            let host: HostPort = host.parse().unwrap();
            assert_eq!(known.knows(&host), expected, "{why}: {host}");
        }
    }
}
