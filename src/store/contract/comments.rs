//! Box comments in the store contract: made, replied to, edited and deleted, and (for a store
//! that keeps its state) all of it there after reopening, with new ids going on from the last.

use super::*;
use crate::store::comments::{CommentTarget, CommentText};

pub(super) fn comments_are_there_after_reopening<S: Durable>() {
    let subject = S::open();
    let file = {
        let store = subject.store();
        let space = space(store);
        let file = upload(store, &space, &["a.txt"], b"one");
        let text = |t: &str| CommentText::Plain(t.into());
        let first =
            (store.create_comment(&space, CommentTarget::File(file), text("first"))).unwrap();
        let tagged = CommentText::Tagged("@[7:Ada] look".into());
        store
            .create_comment(&space, CommentTarget::Comment(first.id), tagged)
            .unwrap();
        let gone = (store.create_comment(&space, CommentTarget::File(file), text("gone"))).unwrap();
        store
            .edit_comment(&space, first.id, "edited".into())
            .unwrap();
        store.delete_comment(&space, gone.id).unwrap();
        file
    };

    let subject = subject.reopen();
    let store = subject.store();
    let space = space(store);
    let window = Window {
        offset: 0,
        limit: 10,
    };
    let listing = store.comments(&space, file, window).unwrap();
    let kept: Vec<_> = (listing.entries.iter())
        .map(|c| {
            (
                c.id,
                c.reply,
                c.message.as_str(),
                c.tagged_message.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        kept,
        [
            (1, false, "edited", None),
            (2, true, "Ada look", Some("@[7:Ada] look")),
        ]
    );
    assert_eq!(store.item(&space, file).unwrap().comment_count, 2);
    let next = store
        .create_comment(
            &space,
            CommentTarget::File(file),
            CommentText::Plain("next".into()),
        )
        .unwrap();
    assert_eq!(next.id, 4, "ids go on after the deleted one");
}
