//! The query options the Graph face reads: OData's `$top`, `$skip`, `$skiptoken` and `$select`,
//! and OneDrive's `@microsoft.graph.conflictBehavior`. Malformed values are `400 BadRequest`.

use std::borrow::Cow;

use super::address::strict_percent_decode;
use super::errors::GraphError;
use crate::store::OnConflict;

/// The conflict annotation, accepted in the query (PUT content) and in JSON bodies.
pub(crate) const CONFLICT_BEHAVIOR: &str = "@microsoft.graph.conflictBehavior";

/// OData options Graph accepts on these resources but the emulator does not apply. They are
/// accepted so that SDK calls which send them still work (the service itself ignores `$orderby`
/// on versions; <https://learn.microsoft.com/en-us/graph/api/driveitem-list-versions> lists the
/// options).
const IGNORED: &[&str] = &[
    "$expand", "$filter", "$orderby", "$count", "$search", "$format",
];

/// The options of one request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct QueryOptions {
    pub top: Option<usize>,
    /// Where a page starts: `$skip`, or the offset our own `$skiptoken` carries.
    pub skip: usize,
    /// Property names, as listed.
    pub select: Option<Vec<String>>,
    pub conflict: Option<OnConflict>,
}

impl QueryOptions {
    pub fn parse(query: Option<&str>) -> Result<Self, GraphError> {
        let mut options = Self::default();
        let mut seen: Vec<String> = Vec::new();
        for pair in query.unwrap_or_default().split('&') {
            if pair.is_empty() {
                continue;
            }
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let key = decode(key)?;
            let value = decode(value)?;
            let lower = key.to_ascii_lowercase();
            if lower.starts_with('$') || lower == CONFLICT_BEHAVIOR.to_ascii_lowercase() {
                if seen.contains(&lower) {
                    return Err(bad(format!(
                        "Query option '{key}' was specified more than once, but it must be specified at most once."
                    )));
                }
                seen.push(lower.clone());
            }
            match lower.as_str() {
                "$top" => options.top = Some(positive(&key, &value)?),
                "$skip" => options.skip = count(&key, &value)?,
                // Our tokens are offsets; `$skipToken` is accepted too: clients echo the
                // `@odata.nextLink` they got (https://learn.microsoft.com/en-us/graph/paging).
                "$skiptoken" => {
                    options.skip = value
                        .parse()
                        .map_err(|_| bad(format!("The value '{value}' of {key} is not valid.")))?
                }
                "$select" => {
                    let names: Vec<String> = value
                        .split(',')
                        .map(str::trim)
                        .filter(|name| !name.is_empty())
                        .map(str::to_owned)
                        .collect();
                    if names.is_empty() {
                        return Err(bad("The value of $select is empty.".to_owned()));
                    }
                    options.select = Some(names);
                }
                name if IGNORED.contains(&name) => {}
                name if name == CONFLICT_BEHAVIOR.to_ascii_lowercase() => {
                    options.conflict = Some(conflict_behavior(&value)?)
                }
                name if name.starts_with('$') => {
                    return Err(bad(format!(
                        "The query parameter '{key}' is not supported."
                    )))
                }
                // Other parameters are not OData's business; Graph ignores them.
                _ => {}
            }
        }
        Ok(options)
    }

    /// Whether `$select` asks for `name` (property names compare case-insensitively).
    pub fn selects(&self, name: &str) -> bool {
        self.select
            .as_ref()
            .is_some_and(|names| names.iter().any(|n| n.eq_ignore_ascii_case(name)))
    }
}

/// Reads a conflict behaviour, wherever it was given.
pub(crate) fn conflict_behavior(value: &str) -> Result<OnConflict, GraphError> {
    match value.to_ascii_lowercase().as_str() {
        "fail" => Ok(OnConflict::Fail),
        "replace" => Ok(OnConflict::Replace),
        "rename" => Ok(OnConflict::Rename),
        _ => Err(GraphError::InvalidRequest(
            format!("Invalid value '{value}' for {CONFLICT_BEHAVIOR}.").into(),
        )),
    }
}

fn bad(message: String) -> GraphError {
    GraphError::BadRequest(message.into())
}

/// Percent-decodes a query component. `+` stays a plus, as Graph's own clients never send it
/// for a space.
fn decode(raw: &str) -> Result<Cow<'_, str>, GraphError> {
    strict_percent_decode(raw).ok_or_else(|| {
        bad(format!(
            "The query string part '{raw}' is not validly percent-encoded UTF-8."
        ))
    })
}

fn count(key: &str, value: &str) -> Result<usize, GraphError> {
    // Digits only: `usize::from_str` would take a leading `+`.
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad(format!(
            "Invalid value '{value}' for query option '{key}'. It must be a non-negative integer."
        )));
    }
    value.parse().map_err(|_| {
        bad(format!(
            "Invalid value '{value}' for query option '{key}'. It is too large."
        ))
    })
}

fn positive(key: &str, value: &str) -> Result<usize, GraphError> {
    match count(key, value)? {
        0 => Err(bad(format!(
            "Invalid value '{value}' for query option '{key}'. It must be a positive integer."
        ))),
        n => Ok(n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_read_as_the_sdk_sends_them() {
        let options =
            QueryOptions::parse(Some("$select=id,size&$top=2&%24skiptoken=4&other=x")).unwrap();
        assert_eq!(
            options,
            QueryOptions {
                top: Some(2),
                skip: 4,
                select: Some(vec!["id".into(), "size".into()]),
                conflict: None,
            }
        );
        let options = QueryOptions::parse(Some(
            "%40microsoft.graph.conflictBehavior=Rename&$skipToken=3",
        ))
        .unwrap();
        assert_eq!(options.conflict, Some(OnConflict::Rename));
        assert_eq!(options.skip, 3);
        assert!(QueryOptions::parse(Some("$orderby=id desc&$expand=x")).is_ok());
        assert_eq!(QueryOptions::parse(None).unwrap(), QueryOptions::default());
    }

    #[test]
    fn malformed_options_are_refused() {
        for (query, why) in [
            ("$top=abc", "non-numeric $top"),
            ("$top=0", "zero $top"),
            ("$top=-1", "negative $top"),
            ("$top=+1", "signed $top"),
            ("$top=99999999999999999999999", "overflowing $top"),
            ("$top=1&$top=2", "repeated $top"),
            ("$skiptoken=zz", "foreign skip token"),
            ("$select=", "empty $select"),
            ("$bogus=1", "unknown $ option"),
            (
                "@microsoft.graph.conflictBehavior=overwrite",
                "unknown conflict behaviour",
            ),
            ("$top=%zz", "bad escape"),
        ] {
            assert!(QueryOptions::parse(Some(query)).is_err(), "{why}: {query}");
        }
    }
}
