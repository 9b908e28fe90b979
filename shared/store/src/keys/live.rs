//! Live updates: each WebSocket connection in its own partition, indexed by its user, and
//! the listeners of each script in the script's own listeners partition (not the script's
//! partition: listening is not content, and snapshots, restores and purges never see it).

/// A connection (`CONNECTION#<connectionId>` / [`CONNECTION_SK`]).
pub const CONNECTION: &str = "CONNECTION#";
/// The sort key of a connection's item.
pub const CONNECTION_SK: &str = "CONNECTION";
/// The sparse `gsi1` partition of a user's connections (`CONNECTIONS#<userId>`), so a
/// logout finds them without a scan.
pub const CONNECTIONS_OF: &str = "CONNECTIONS#";
/// The listeners of one script (`LISTENERS#<scriptId>`).
pub const LISTENERS: &str = "LISTENERS#";
/// One connection listening to a script (`LISTENER#<connectionId>`).
pub const LISTENER: &str = "LISTENER#";

pub fn connection(connection_id: &str) -> String {
    format!("{CONNECTION}{connection_id}")
}

pub fn connections_of(user_id: &str) -> String {
    format!("{CONNECTIONS_OF}{user_id}")
}

pub fn listeners(script_id: &str) -> String {
    format!("{LISTENERS}{script_id}")
}

pub fn listener(connection_id: &str) -> String {
    format!("{LISTENER}{connection_id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_live_key_has_its_format() {
        assert_eq!(connection("c1"), "CONNECTION#c1");
        assert_eq!(connections_of("alice"), "CONNECTIONS#alice");
        assert_eq!(listeners("01S"), "LISTENERS#01S");
        assert_eq!(listener("c1"), "LISTENER#c1");
    }
}
