//! Credentials a request may carry in its query (OAuth's fields, sent there by a careless client
//! or on purpose by an authorize redirect), masked before its target is recorded in the journal or
//! the access log: both are shown to anyone with the admin API or the logs.

use std::borrow::Cow;

/// The fields whose values are secrets: client secrets, assertions, codes and tokens.
const SECRET_FIELDS: [&str; 7] = [
    "client_secret",
    "assertion",
    "code",
    "refresh_token",
    "subject_token",
    "token",
    "actor_token",
];

/// `path?query` with the value of every secret field replaced by `***`.
pub(crate) fn masked(target: &str) -> Cow<'_, str> {
    let Some((path, query)) = target.split_once('?') else {
        return Cow::Borrowed(target);
    };
    let secret = |pair: &str| {
        let name = pair.split_once('=').map_or(pair, |(name, _)| name);
        SECRET_FIELDS.contains(&name)
    };
    if !query.split('&').any(secret) {
        return Cow::Borrowed(target);
    }
    let query: Vec<Cow<'_, str>> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, _)) if secret(pair) => Cow::Owned(format!("{name}=***")),
            _ => Cow::Borrowed(pair),
        })
        .collect();
    Cow::Owned(format!("{path}?{}", query.join("&")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_fields_are_masked_and_the_rest_kept() {
        for (target, expected) in [
            ("/2.0/files/1", "/2.0/files/1"),
            (
                "/2.0/folders/0/items?limit=2",
                "/2.0/folders/0/items?limit=2",
            ),
            (
                "/oauth2/token?client_id=a&client_secret=s&code=c",
                "/oauth2/token?client_id=a&client_secret=***&code=***",
            ),
            ("/x?token=&codes=1", "/x?token=***&codes=1"),
        ] {
            assert_eq!(masked(target), expected, "{target}");
        }
    }
}
