//! Reading the text of a search function segment: `search(q='…')`, OData's string literal in
//! single quotes with `''` as the one escape for a quote
//! (<https://learn.microsoft.com/en-us/graph/api/driveitem-search>). A lone quote breaks the
//! literal, as the service refuses `q='it's'` (captured in
//! <https://github.com/abraunegg/onedrive/issues/3613>, fixed by doubling in PR #3624).

/// Why a search segment could not be read: the whole segment and where reading failed
/// (1-based, in characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SearchSyntaxError {
    pub segment: String,
    pub position: usize,
}

/// The function names a search segment may start with: bare, and OData's qualified form.
const NAMES: [&str; 2] = ["search", "microsoft.graph.search"];

/// `None` when `segment` (percent-decoded) is not a search call at all; else its text, or why it
/// cannot be read.
pub(crate) fn search_text(segment: &str) -> Option<Result<String, SearchSyntaxError>> {
    let open = segment.find('(')?;
    if !NAMES
        .iter()
        .any(|n| segment[..open].eq_ignore_ascii_case(n))
    {
        return None;
    }
    let args = &segment[open + 1..];
    let fail = |at: usize| {
        Err(SearchSyntaxError {
            segment: args.strip_suffix(')').unwrap_or(args).to_owned(),
            position: at,
        })
    };
    // After `q` (or `query`, as in a docs sample link), `=` and the opening quote.
    let Some((name, rest)) = args.split_once('=') else {
        return Some(fail(1));
    };
    if !name.trim().eq_ignore_ascii_case("q") && !name.trim().eq_ignore_ascii_case("query") {
        return Some(fail(1));
    }
    let start = name.chars().count() + 1;
    let Some(literal) = rest.strip_prefix('\'') else {
        return Some(fail(start + 1));
    };
    let mut text = String::with_capacity(literal.len());
    let mut chars = literal.char_indices().peekable();
    let mut position = start + 1;
    while let Some((_, c)) = chars.next() {
        position += 1;
        if c != '\'' {
            text.push(c);
            continue;
        }
        if chars.peek().is_some_and(|(_, next)| *next == '\'') {
            chars.next();
            position += 1;
            text.push('\'');
            continue;
        }
        // The literal closed: only `)` may follow.
        let after: String = chars.map(|(_, c)| c).collect();
        return Some(match after.as_str() {
            ")" => Ok(text),
            _ => fail(position + 1),
        });
    }
    // The input ended inside the literal.
    Some(fail(position + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_is_read_with_doubled_quotes_as_one() {
        for (segment, text) in [
            ("search(q='report')", "report"),
            ("Search(q='it''s')", "it's"),
            ("microsoft.graph.search(q='a b')", "a b"),
            ("search(q='')", ""),
            ("search(query='x')", "x"),
        ] {
            assert_eq!(search_text(segment), Some(Ok(text.to_owned())), "{segment}");
        }
    }

    #[test]
    fn other_segments_are_not_searches_and_broken_literals_are_refused() {
        assert_eq!(search_text("children"), None);
        assert_eq!(search_text("delta()"), None);
        for (segment, position) in [
            ("search(q='it's')", 7),
            ("search(q='open)", 9),
            ("search(q=bare)", 3),
            ("search(x='a')", 1),
            ("search()", 1),
        ] {
            let error = search_text(segment).unwrap().unwrap_err();
            assert_eq!(error.position, position, "{segment}");
        }
    }
}
