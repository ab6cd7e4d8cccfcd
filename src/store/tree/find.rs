//! Search (Box `GET /search`): the space's items that are not in the trash, matched on their
//! names at once (no indexing delay), filtered by kind, extension, folders above them and a
//! metadata filter (an instance of its template whose values pass it), in name order then by
//! id. A walk over the store's items under the lock: linear in what the
//! store holds, which a single-developer emulator keeps small.

use super::{NodeKind, Tree};
use crate::store::domain::{ItemId, ItemKind, ItemView, Listing, SearchQuery, Space, Window};
use crate::store::StoreError;

impl Tree {
    pub fn find_items(
        &self,
        space: &Space,
        query: &SearchQuery,
        window: Window,
    ) -> Result<Listing<ItemView>, StoreError> {
        // A folder the caller cannot see is refused, not searched as empty.
        for folder in &query.ancestors {
            self.children_of(space, *folder)?;
        }
        // An unknown template, or a filter that does not fit it, is refused before the walk.
        let metadata = self.sharing.metadata();
        let filter = match &query.metadata {
            Some(filter) => {
                let template = metadata.template(filter.scope, &filter.template)?;
                filter.check(&template)?;
                Some((filter, template))
            }
            None => None,
        };
        let mut hits: Vec<(String, ItemId)> = (self.items.iter())
            .filter(|(_, node)| {
                node.face == space.face && node.owner == space.owner && node.parent.is_some()
            })
            .filter(|(_, node)| match (&node.kind, query.kind) {
                (_, None) => true,
                (NodeKind::File(_), Some(kind)) => kind == ItemKind::File,
                (NodeKind::Folder(_), Some(kind)) => kind == ItemKind::Folder,
            })
            .filter(|(_, node)| {
                query.extensions.is_empty()
                    || (matches!(node.kind, NodeKind::File(_))
                        && extension(&node.name).is_some_and(|ext| {
                            query
                                .extensions
                                .iter()
                                .any(|wanted| wanted.eq_ignore_ascii_case(ext))
                        }))
            })
            .filter(|(_, node)| {
                (query.words.is_empty() && filter.is_some())
                    || names_match(&node.name, &query.words)
            })
            .filter(|(id, _)| {
                filter.as_ref().is_none_or(|(filter, template)| {
                    (metadata.instance(**id, filter.scope, &filter.template))
                        .is_some_and(|instance| filter.matches(template, instance))
                })
            })
            .filter(|(id, _)| {
                query.ancestors.is_empty()
                    || (query.ancestors.iter())
                        .any(|folder| *folder != **id && self.is_at_or_below(**id, *folder))
            })
            .filter(|(id, _)| !self.in_trash(**id))
            .map(|(id, node)| (node.name.to_lowercase(), *id))
            .collect();
        hits.sort_unstable();
        let total = hits.len();
        let entries = (hits.iter().skip(window.offset).take(window.limit))
            .map(|(_, id)| self.view(*id))
            .collect();
        Ok(Listing { total, entries })
    }
}

/// The part after the last dot, if the name has one (not a leading dot alone).
fn extension(name: &str) -> Option<&str> {
    match name.rfind('.') {
        Some(dot) if dot > 0 => Some(&name[dot + 1..]),
        _ => None,
    }
}

/// Whether one of `words` (lower-case) starts one of the name's words: Box matches names by
/// prefix, several words meaning any of them
/// (<https://developer.box.com/guides/search/>).
fn names_match(name: &str, words: &[String]) -> bool {
    let name = name.to_lowercase();
    let tokens: Vec<&str> = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect();
    words
        .iter()
        .any(|word| tokens.iter().any(|token| token.starts_with(word.as_str())))
}

#[cfg(test)]
mod tests {
    use super::names_match;

    #[test]
    fn a_word_matches_the_start_of_any_word_of_a_name_case_insensitively() {
        let words = |list: &[&str]| list.iter().map(|w| w.to_string()).collect::<Vec<_>>();
        assert!(names_match("Quarterly Report.pdf", &words(&["rep"])));
        assert!(names_match("blue.box.txt", &words(&["bo"])));
        assert!(names_match("a.txt", &words(&["zzz", "txt"])));
        assert!(
            !names_match("Quarterly Report.pdf", &words(&["port"])),
            "no infix"
        );
        assert!(!names_match("a.txt", &words(&[])));
    }
}
