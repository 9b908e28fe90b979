//! Notifications, in their user's partition (`NOTE#<notificationId>`, indexed while unread),
//! and the markers of the events that made them.

/// A notification (`NOTE#<notificationId>`).
pub const NOTE: &str = "NOTE#";
/// What the index entries of unread notifications start with (`NOTE#unread#<id>`).
pub const NOTE_UNREAD: &str = "NOTE#unread#";
/// The marker of an event that made its notification (`NOTESRC#<eventId>`). It does not
/// start with [`NOTE`], so the listing skips it.
pub const NOTE_SOURCE: &str = "NOTESRC#";

pub fn note(notification_id: &str) -> String {
    format!("{NOTE}{notification_id}")
}

/// A notification's entry in the index while it is unread.
pub fn note_unread(notification_id: &str) -> String {
    format!("{NOTE_UNREAD}{notification_id}")
}

pub fn note_source(source_event_id: &str) -> String {
    format!("{NOTE_SOURCE}{source_event_id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_notification_key_has_its_format() {
        assert_eq!(note("01N"), "NOTE#01N");
        assert_eq!(note_unread("01N"), "NOTE#unread#01N");
        assert_eq!(note_source("01E"), "NOTESRC#01E");
    }
}
