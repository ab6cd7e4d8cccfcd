//! Search (Box `GET /search`): the items the caller owns or collaborates on
//! (<https://developer.box.com/guides/search/>) that are not in the trash, matched at once (no
//! indexing delay) on the parts the query names: the name by word prefix, and by whole words
//! the description, the tags, the file's comments and the first [`CONTENT_BYTES`] of a text
//! file's current version; filtered by kind, extension, folders above them and a metadata
//! filter (an instance of its template whose values pass it), in name order then by id. A walk
//! under the lock, reading at most [`CONTENT_BYTES`] of each file: over what the given ancestor
//! folders hold, or else over every item in the store, which a single-developer emulator keeps
//! small.

use std::collections::HashSet;

use super::{Node, NodeKind, Tree};
use crate::store::domain::{
    Face, ItemId, ItemKind, ItemView, Listing, SearchParts, SearchQuery, Space, Window,
};
use crate::store::StoreError;

/// How much of a file's current version Box indexes: its first 10,000 bytes
/// (<https://developer.box.com/guides/search/>).
pub const CONTENT_BYTES: usize = 10_000;

/// The extensions whose bodies are read as text (UTF-8, a bad byte read as a replacement
/// character). Box also indexes PDF and Office bodies; the emulator does not extract their
/// text, so their bodies are not searched.
pub const TEXT_EXTENSIONS: [&str; 10] = [
    "txt", "md", "csv", "tsv", "json", "xml", "html", "htm", "log", "yaml",
];

impl Tree {
    pub fn find_items(
        &self,
        space: &Space,
        query: &SearchQuery,
        window: Window,
    ) -> Result<Listing<ItemView>, StoreError> {
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
        // A Box user's search also covers what others collaborate them into, each item at or
        // below a live collaboration.
        let tops = match space.face == Face::Box && space.owner.id() == space.actor.id {
            true => self.collaborated_tops(&space.actor.id, self.now()),
            false => Vec::new(),
        };
        // A folder the caller cannot see is refused, not searched as empty; one at or below a
        // live collaboration is theirs to search in.
        for folder in &query.ancestors {
            let collaborated = tops.iter().any(|top| self.is_at_or_below(*folder, *top))
                && !self.in_trash(*folder);
            match self.items.get(folder).map(|node| &node.kind) {
                Some(NodeKind::Folder(_)) if collaborated => {}
                Some(NodeKind::File(_)) if collaborated => return Err(StoreError::NotAFolder),
                _ => {
                    self.children_of(space, *folder)?;
                }
            }
        }
        // The files with a matching comment, found in one pass over the comments rather than a
        // pass per item (comments are kept by id, not by file).
        let commented: HashSet<ItemId> = match query.parts.comments && !query.words.is_empty() {
            true => (self.sharing.comments())
                .filter(|c| words_match(&c.message, &query.words))
                .map(|c| c.file)
                .collect(),
            false => HashSet::new(),
        };
        // Below given folders, only what their indexes lead to is looked at: a search in a
        // folder costs what the folder holds, not what the store holds.
        let scoped = (!query.ancestors.is_empty()).then(|| self.below(&query.ancestors));
        let candidates: Box<dyn Iterator<Item = (&ItemId, &Node)>> = match &scoped {
            Some(ids) => Box::new(ids.iter().filter_map(|id| self.items.get_key_value(id))),
            None => Box::new(self.items.iter()),
        };
        let mut hits: Vec<(String, ItemId)> = candidates
            .filter(|(id, node)| {
                node.face == space.face
                    && node.parent.is_some()
                    && (node.owner == space.owner
                        || tops.iter().any(|top| self.is_at_or_below(**id, *top)))
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
            .filter(|(id, node)| {
                (query.words.is_empty() && filter.is_some())
                    || self.matches(**id, node, &query.words, query.parts, &commented)
            })
            .filter(|(id, _)| {
                filter.as_ref().is_none_or(|(filter, template)| {
                    (metadata.instance(**id, filter.scope, &filter.template))
                        .is_some_and(|instance| filter.matches(template, instance))
                })
            })
            .filter(|(id, _)| !self.in_trash(**id))
            .map(|(id, node)| (node.name.to_lowercase(), *id))
            .collect();
        hits.sort_unstable();
        let total = hits.len();
        let entries = (hits.iter().skip(window.offset).take(window.limit))
            .map(|(_, id)| self.view_for(Some(&space.actor.id), *id))
            .collect();
        Ok(Listing { total, entries })
    }

    /// The items strictly below `folders`, each once (`live_subtree`: none in the trash).
    fn below(&self, folders: &[ItemId]) -> Vec<ItemId> {
        let mut seen = HashSet::new();
        (folders.iter())
            .flat_map(|folder| self.live_subtree(*folder).into_iter().skip(1))
            .filter(|id| seen.insert(*id))
            .collect()
    }

    /// Whether one of `words` is found in one of the item's `parts` (`commented`: the files
    /// with a comment that matches).
    fn matches(
        &self,
        id: ItemId,
        node: &Node,
        words: &[String],
        parts: SearchParts,
        commented: &HashSet<ItemId>,
    ) -> bool {
        if parts.name && names_match(&node.name, words) {
            return true;
        }
        let notes = self.sharing.notes(id);
        if parts.description && notes.is_some_and(|n| words_match(&n.description, words)) {
            return true;
        }
        if parts.tags && notes.is_some_and(|n| n.tags.iter().any(|t| words_match(t, words))) {
            return true;
        }
        if parts.comments && commented.contains(&id) {
            return true;
        }
        match &node.kind {
            NodeKind::File(file) if parts.file_content && is_text(&node.name) => {
                let bytes = &file.current().content.bytes;
                let head = &bytes[..bytes.len().min(CONTENT_BYTES)];
                // Valid UTF-8 is read in place; lossily, only when a byte is bad.
                match std::str::from_utf8(head) {
                    Ok(text) => words_match(text, words),
                    Err(_) => words_match(&String::from_utf8_lossy(head), words),
                }
            }
            _ => false,
        }
    }
}

/// Whether the name's extension is one whose body is read as text.
fn is_text(name: &str) -> bool {
    extension(name).is_some_and(|ext| {
        TEXT_EXTENSIONS
            .iter()
            .any(|text| text.eq_ignore_ascii_case(ext))
    })
}

/// Whether one of `words` (lower-case) equals a word of `text`, any case: outside names Box
/// matches whole words only (<https://developer.box.com/guides/search/>).
fn words_match(text: &str, words: &[String]) -> bool {
    if text.is_ascii() {
        return ascii_words(text)
            .any(|token| (words.iter()).any(|word| token.eq_ignore_ascii_case(word.as_bytes())));
    }
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .any(|token| words.iter().any(|word| token.to_lowercase() == *word))
}

/// The words of ASCII `text`, compared in place by the callers: lower-casing each word of every
/// file's content into a new `String`, and decoding it a character at a time, were most of a
/// search's time. An ASCII word lower-cases to ASCII, so a query word with other letters can't
/// match it, as `eq_ignore_ascii_case` finds.
fn ascii_words(text: &str) -> impl Iterator<Item = &[u8]> {
    (text.as_bytes().split(|b| !b.is_ascii_alphanumeric())).filter(|t| !t.is_empty())
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
    if name.is_ascii() {
        return ascii_words(name).any(|token| {
            (words.iter()).any(|word| {
                (token.get(..word.len()))
                    .is_some_and(|head| head.eq_ignore_ascii_case(word.as_bytes()))
            })
        });
    }
    // Lower-cased whole, as the context of a letter can change its lower case (a Greek final
    // sigma), then split.
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
    use super::{names_match, words_match};

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
        assert!(names_match("ÄRGER Übersicht.txt", &words(&["ärg"])));
        assert!(names_match("Ölfass.txt", &words(&["txt"])));
        assert!(
            !names_match("Report.txt", &words(&["ré"])),
            "no fold to ASCII"
        );
    }

    #[test]
    fn outside_names_a_word_matches_a_whole_word_only() {
        let words = |list: &[&str]| list.iter().map(|w| w.to_string()).collect::<Vec<_>>();
        assert!(words_match("The Budget, draft", &words(&["budget"])));
        assert!(words_match("x-ray", &words(&["zzz", "ray"])));
        assert!(!words_match("Budgeting", &words(&["budget"])), "no prefix");
        assert!(!words_match("budget", &words(&[])));
        assert!(words_match("Großes ÄRGER", &words(&["ärger"])));
        assert!(!words_match("ÄRGERN", &words(&["ärger"])));
    }
}
