//! Sending one message to many connections at once, and forgetting those that are gone.

use futures::stream::{self, StreamExt};
use tracing::{info, warn};

use crate::deps::LiveDeps;
use crate::messages::Message;
use crate::store::{self, Listener};

/// Pushes in flight at once: a script's listeners are told in parallel, so the last of 200
/// hears about as soon as the first.
const PUSHES_AT_ONCE: usize = 64;

/// Sends each listener of `script_id` its message (`message_for` it, or nothing); a
/// connection gone meanwhile (410) loses its listener item and its connection item.
/// Returns how many were sent.
pub async fn push(
    deps: &LiveDeps,
    script_id: &str,
    listeners: &[Listener],
    message_for: impl Fn(&Listener) -> Option<Message>,
) -> usize {
    let messages: Vec<(Listener, Message)> = listeners
        .iter()
        .filter_map(|listener| Some((listener.clone(), message_for(listener)?)))
        .collect();
    let outcomes: Vec<(Listener, Result<(), store::Gone>)> = stream::iter(messages)
        .map(|(listener, message)| send_one(deps, listener, message))
        .buffer_unordered(PUSHES_AT_ONCE)
        .collect()
        .await;
    let mut sent = 0;
    for (listener, outcome) in outcomes {
        match outcome {
            Ok(()) => sent += 1,
            Err(store::Gone) => {
                info!(
                    connection_id = listener.connection_id,
                    "a vanished connection forgotten"
                );
                if let Err(error) = store::forget(
                    &deps.table,
                    &listener.connection_id,
                    &[script_id.to_owned()],
                )
                .await
                {
                    warn!(%error, "a vanished connection's items stay until their TTL");
                }
            }
        }
    }
    sent
}

async fn send_one(
    deps: &LiveDeps,
    listener: Listener,
    message: Message,
) -> (Listener, Result<(), store::Gone>) {
    let sent = deps.pusher.send(&listener.connection_id, &message).await;
    (listener, sent)
}
