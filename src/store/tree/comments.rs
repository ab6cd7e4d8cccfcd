//! Box's comments on the tree (`crate::store::comments`): made on a file the caller reaches,
//! or as a reply on the file of the comment answered; read, edited and deleted through that
//! file. A comment on a file another space holds, or one in the trash, is not there.

use chrono::{DateTime, Utc};

use super::Tree;
use crate::store::comments::{Comment, CommentTarget, CommentText};
use crate::store::domain::{ItemId, Listing, Space, Window};
use crate::store::sharing::SharingError;
use crate::store::StoreError;

impl Tree {
    /// A new comment, on the file or (a reply) on the replied-to comment's file.
    pub fn create_comment(
        &mut self,
        space: &Space,
        target: CommentTarget,
        text: CommentText,
        now: DateTime<Utc>,
    ) -> Result<Comment, StoreError> {
        let (file, reply) = match target {
            CommentTarget::File(file) => {
                self.file(space, file)?;
                (file, false)
            }
            CommentTarget::Comment(parent) => (self.reachable_comment(space, parent)?.file, true),
        };
        let (message, tagged_message) = text.split();
        let sharing = self.sharing_mut();
        let comment = Comment {
            id: sharing.new_comment_id(),
            file,
            reply,
            message,
            tagged_message,
            by: (*space.actor).clone(),
            created: now,
            modified: now,
        };
        sharing.set_comment(comment.clone());
        Ok(comment)
    }

    /// A comment on a file the caller reaches.
    pub fn comment(&self, space: &Space, id: u64) -> Result<Comment, StoreError> {
        self.reachable_comment(space, id).cloned()
    }

    /// A file's comments, replies included, oldest first
    /// (box-python-sdk's `test/comments.py` reads a reply after the comment it answers).
    pub fn comments(
        &self,
        space: &Space,
        file: ItemId,
        window: Window,
    ) -> Result<Listing<Comment>, StoreError> {
        self.file(space, file)?;
        let all = self.sharing.comments_on(file);
        Ok(Listing {
            total: self.sharing.comments_on(file).count(),
            entries: window.page(all).cloned().collect(),
        })
    }

    /// How many comments a file has (its `comment_count`).
    pub fn comment_count(&self, file: ItemId) -> usize {
        self.sharing.comments_on(file).count()
    }

    /// Replaces a comment's text; its mentions go with the old text.
    pub fn edit_comment(
        &mut self,
        space: &Space,
        id: u64,
        message: String,
        now: DateTime<Utc>,
    ) -> Result<Comment, StoreError> {
        let mut comment = self.reachable_comment(space, id)?.clone();
        comment.message = message;
        comment.tagged_message = None;
        comment.modified = now;
        self.sharing_mut().set_comment(comment.clone());
        Ok(comment)
    }

    /// Deletes a comment; its replies stay on the file (Box does not say they go).
    pub fn delete_comment(&mut self, space: &Space, id: u64) -> Result<(), StoreError> {
        self.reachable_comment(space, id)?;
        self.sharing_mut().remove_comment(id);
        Ok(())
    }

    /// Forgets the comments of a file that is gone (purged, or its user reset).
    pub(super) fn forget_comments(&mut self, file: ItemId) {
        if self.sharing.comments_on(file).next().is_some() {
            self.sharing_mut().remove_comments_on(file);
        }
    }

    /// The comment, if its file is one the caller reaches and not in the trash.
    fn reachable_comment(&self, space: &Space, id: u64) -> Result<&Comment, StoreError> {
        let comment = self
            .sharing
            .comment(id)
            .ok_or(SharingError::CommentNotFound)?;
        match self.file(space, comment.file) {
            Ok(_) => Ok(comment),
            Err(_) => Err(SharingError::CommentNotFound.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::domain::ItemKind;
    use crate::store::tree::arrange::Arranged;

    #[test]
    fn a_purge_drops_the_files_comments_and_keeps_the_others() {
        let mut at = Arranged::new();
        let purged = at.file(at.root, &["a.txt"], b"x");
        let kept = at.file(at.root, &["b.txt"], b"x");
        let Arranged {
            mut tree,
            space,
            now,
            ..
        } = at;
        let text = |t: &str| CommentText::Plain(t.into());
        let first = tree.create_comment(&space, CommentTarget::File(purged), text("a"), now);
        let reply = CommentTarget::Comment(first.unwrap().id);
        tree.create_comment(&space, reply, text("r"), now).unwrap();
        tree.create_comment(&space, CommentTarget::File(kept), text("b"), now)
            .unwrap();

        tree.trash_item(&space, purged, ItemKind::File, false, None, now)
            .unwrap();
        tree.purge_item(&space, purged, ItemKind::File).unwrap();

        let left: Vec<_> = tree.sharing().comments().map(|c| (c.id, c.file)).collect();
        assert_eq!(left, [(3, kept)]);
    }
}
