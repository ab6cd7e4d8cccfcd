//! Box's comments on files (<https://developer.box.com/reference/resources/comment/>): what a
//! `POST /comments` asks for and what the store keeps. They sit in the tree's side state with
//! the locks (`super::sharing::Sharing`), under its lock, and go when their file is purged.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::store::accounts::User;
use crate::store::domain::ItemId;

/// The longest message kept. Box publishes no limit; this one bounds what a client or a
/// fixture can make the store hold, far above any comment a person writes.
pub const MAX_MESSAGE: usize = 10_000;

/// One comment. A reply names the file its thread is on, not the comment it answers, as Box's
/// replies do (`item` in box-node-sdk's `post_comments_reply_200.json` fixture).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comment {
    /// A number, as Box's comment ids are.
    pub id: u64,
    pub file: ItemId,
    pub reply: bool,
    /// The text as shown: a tagged message with its `@[id:name]` mentions rendered as names.
    pub message: String,
    /// The text as sent with `tagged_message`, when it was.
    pub tagged_message: Option<String>,
    pub by: User,
    pub created: DateTime<Utc>,
    pub modified: DateTime<Utc>,
}

/// What a comment is put on: a file, or the comment it replies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentTarget {
    File(ItemId),
    Comment(u64),
}

/// A new comment's text: plain, or with `@[id:name]` mentions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommentText {
    Plain(String),
    Tagged(String),
}

impl CommentText {
    /// The text as shown (`message`) and as tagged (`tagged_message`).
    pub fn split(self) -> (String, Option<String>) {
        match self {
            Self::Plain(text) => (text, None),
            Self::Tagged(text) => (render_mentions(&text), Some(text)),
        }
    }
}

/// `@[1234:Other User] Looks good!` shown as `Other User Looks good!`, as Box renders a tagged
/// comment's `message` (box-node-sdk's `post_comments_tagged_200.json` fixture). A `@[` with no
/// well-formed mention after it stays as written.
fn render_mentions(tagged: &str) -> String {
    let mut shown = String::with_capacity(tagged.len());
    let mut rest = tagged;
    while let Some(at) = rest.find("@[") {
        shown.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let mention = after.find(']').and_then(|end| {
            let (id, name) = after[..end].split_once(':')?;
            let numeric = !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit());
            numeric.then_some((name, end))
        });
        match mention {
            Some((name, end)) => {
                shown.push_str(name);
                rest = &after[end + 1..];
            }
            None => {
                shown.push_str("@[");
                rest = after;
            }
        }
    }
    shown.push_str(rest);
    shown
}

#[cfg(test)]
mod tests {
    use super::render_mentions;

    #[test]
    fn mentions_are_rendered_as_their_names() {
        let cases = [
            ("@[1234:Other User] Looks good!", "Other User Looks good!"),
            ("no mention", "no mention"),
            ("a @[x:y] b", "a @[x:y] b"),
            ("open @[12:never closed", "open @[12:never closed"),
            ("@[1:A]@[2:B]", "AB"),
        ];
        for (tagged, shown) in cases {
            assert_eq!(render_mentions(tagged), shown, "{tagged}");
        }
    }
}
