//! What a request may ask of an item and its children beyond paging: `$expand` of `children`
//! and `thumbnails`, and `$orderby` and `$filter` on children
//! (<https://learn.microsoft.com/en-us/onedrive/developer/rest-api/concepts/optional-query-parameters>),
//! read from the raw query with or without `$`, as the OneDrive API accepts both (the OneDrive
//! Linux client sends `select=`, python-o365 `select=` and `expand=`).
//!
//! The drives are OneDrive for Business and SharePoint libraries, so the filter takes what those
//! take: `name` compared with `eq`, `ne` or `startswith`, and `folder ne null` (which works there,
//! <https://github.com/microsoftgraph/microsoft-graph-docs-contrib/issues/2930>). Anything else,
//! `file ne null` included, is `400 notSupported` "Operation not supported"
//! (<https://github.com/OneDrive/onedrive-api-docs/issues/1873>). `$orderby` takes `name`, `size`
//! and `lastModifiedDateTime`, `asc` or `desc`; another property is ignored, as SharePoint-backed
//! endpoints ignore it.

use super::address::strict_percent_decode;
use super::errors::GraphError;
use crate::store::{rules::name_key, ChildKey, ChildOrder, ItemView};

/// The value of the query option `name` (`$name` or `name`), decoded.
fn option(raw_query: Option<&str>, name: &str) -> Option<String> {
    raw_query?.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        let key = strict_percent_decode(key)?;
        let key = key.strip_prefix('$').unwrap_or(&key);
        key.eq_ignore_ascii_case(name)
            .then(|| strict_percent_decode(value).map(|v| v.into_owned()))
            .flatten()
    })
}

/// What `$expand` names that the emulator expands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Expand {
    pub children: bool,
    pub thumbnails: bool,
}

impl Expand {
    /// The expansions named, each with or without nested options (`children($select=id)`);
    /// other relationships are left to whoever renders them.
    pub fn parse(raw_query: Option<&str>) -> Self {
        let mut expand = Self::default();
        let Some(value) = option(raw_query, "expand") else {
            return expand;
        };
        let mut depth = 0usize;
        let mut start = 0;
        let mut names = Vec::new();
        for (i, c) in value.char_indices() {
            match c {
                '(' => depth += 1,
                ')' => depth = depth.saturating_sub(1),
                ',' if depth == 0 => {
                    names.push(&value[start..i]);
                    start = i + 1;
                }
                _ => {}
            }
        }
        names.push(&value[start..]);
        for name in names {
            let name = name.split('(').next().unwrap_or_default().trim();
            expand.children |= name.eq_ignore_ascii_case("children");
            expand.thumbnails |= name.eq_ignore_ascii_case("thumbnails");
        }
        expand
    }
}

/// `$orderby`, when it names a property the service orders children by.
pub(crate) fn order(raw_query: Option<&str>) -> Result<Option<ChildOrder>, GraphError> {
    let Some(value) = option(raw_query, "orderby") else {
        return Ok(None);
    };
    let mut words = value.split_whitespace();
    let key = match words.next().map(str::to_ascii_lowercase).as_deref() {
        Some("name") => ChildKey::Name,
        Some("size") => ChildKey::Size,
        Some("lastmodifieddatetime") => ChildKey::Date,
        _ => return Ok(None),
    };
    let descending = match words.next().map(str::to_ascii_lowercase).as_deref() {
        None | Some("asc") => false,
        Some("desc") => true,
        Some(other) => {
            return Err(GraphError::BadRequest(
                format!("Invalid sort direction '{other}' in $orderby.").into(),
            ))
        }
    };
    Ok(Some(ChildOrder { key, descending }))
}

/// A `$filter` on children the emulator applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ChildFilter {
    NameEq(String),
    NameNe(String),
    NameStartsWith(String),
    Folders,
}

impl ChildFilter {
    pub fn parse(raw_query: Option<&str>) -> Result<Option<Self>, GraphError> {
        let Some(value) = option(raw_query, "filter") else {
            return Ok(None);
        };
        let not_supported = || GraphError::NotSupported("Operation not supported".into());
        let value = value.trim();
        if let Some(args) = value
            .strip_prefix("startswith(")
            .and_then(|rest| rest.strip_suffix(')'))
        {
            let (property, literal) = args.split_once(',').ok_or_else(not_supported)?;
            if !property.trim().eq_ignore_ascii_case("name") {
                return Err(not_supported());
            }
            return Ok(Some(Self::NameStartsWith(
                string_literal(literal.trim()).ok_or_else(not_supported)?,
            )));
        }
        let mut words = value.splitn(3, ' ');
        let (Some(property), Some(operator), Some(operand)) =
            (words.next(), words.next(), words.next())
        else {
            return Err(not_supported());
        };
        let filter = match (
            property.to_ascii_lowercase().as_str(),
            operator.to_ascii_lowercase().as_str(),
            operand.trim(),
        ) {
            ("folder", "ne", "null") => Self::Folders,
            ("name", "eq", literal) => {
                Self::NameEq(string_literal(literal).ok_or_else(not_supported)?)
            }
            ("name", "ne", literal) => {
                Self::NameNe(string_literal(literal).ok_or_else(not_supported)?)
            }
            _ => return Err(not_supported()),
        };
        Ok(Some(filter))
    }

    pub fn keeps(&self, item: &ItemView) -> bool {
        match self {
            Self::NameEq(name) => name_key(&item.name) == name_key(name),
            Self::NameNe(name) => name_key(&item.name) != name_key(name),
            Self::NameStartsWith(prefix) => name_key(&item.name).starts_with(&name_key(prefix)),
            Self::Folders => item.file().is_none(),
        }
    }
}

/// An OData string literal, `'…'` with `''` for a quote.
fn string_literal(literal: &str) -> Option<String> {
    let inner = literal.strip_prefix('\'')?.strip_suffix('\'')?;
    let text = inner.replace("''", "'");
    // A lone quote inside ends the literal early: not one literal.
    (text.matches('\'').count() * 2 == inner.matches('\'').count()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expansions_are_read_with_or_without_dollar_and_nested_options() {
        let both = Expand {
            children: true,
            thumbnails: true,
        };
        for query in [
            "$expand=children,thumbnails",
            "expand=thumbnails($select=small),children($select=id,name)",
            "%24expand=children%28%24select%3Did%2Cname%29,thumbnails",
        ] {
            assert_eq!(Expand::parse(Some(query)), both, "{query}");
        }
        assert_eq!(
            Expand::parse(Some("$expand=permissions")),
            Expand::default()
        );
    }

    #[test]
    fn filters_and_orders_are_read_or_refused() {
        let read = |q: &str| ChildFilter::parse(Some(q)).map_err(|e| e.code().to_owned());
        assert_eq!(
            read("$filter=name eq 'a b'"),
            Ok(Some(ChildFilter::NameEq("a b".into())))
        );
        assert_eq!(
            read("$filter=name%20ne%20%27it''s%27"),
            Ok(Some(ChildFilter::NameNe("it's".into())))
        );
        assert_eq!(
            read("filter=startswith(name,'re')"),
            Ok(Some(ChildFilter::NameStartsWith("re".into())))
        );
        assert_eq!(
            read("$filter=folder ne null"),
            Ok(Some(ChildFilter::Folders))
        );
        for bad in [
            "$filter=file ne null",
            "$filter=size gt 3",
            "$filter=name eq 'it's'",
            "$filter=x",
        ] {
            assert_eq!(read(bad), Err("notSupported".to_owned()), "{bad}");
        }
        let order = |q: &str| order(Some(q)).unwrap();
        assert_eq!(
            order("$orderby=name desc"),
            Some(ChildOrder {
                key: ChildKey::Name,
                descending: true
            })
        );
        assert_eq!(
            order("orderby=size"),
            Some(ChildOrder {
                key: ChildKey::Size,
                descending: false
            })
        );
        assert_eq!(order("$orderby=createdDateTime"), None);
    }
}
