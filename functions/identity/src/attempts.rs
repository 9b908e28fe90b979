//! Sign-in attempts, reserved before a password is verified (decision 46). Two counters,
//! neither tied to whether the account exists, so known and unknown emails answer alike:
//!
//! - per email and client (the client's source IP): each attempt takes the pair's slot for
//!   [`IN_FLIGHT`] with a conditional write whose success decides, so concurrent guesses
//!   are not all evaluated; after `MAX_LOGIN_FAILURES` failures in a row each further
//!   attempt waits, from 5 s doubling up to 15 minutes. A success clears the pair.
//! - per client: after four times as many failures from one client (across emails) the
//!   same backoff applies to everything it tries (credential stuffing from one address).
//!
//! An attacker therefore slows only their own client: the owner signing in from elsewhere
//! is not held up. Failures older than an hour are forgotten.

use chrono::{DateTime, Utc};
use fountain_store::{StoreError, Table, keys, n};
use sha2::{Digest, Sha256};

/// How long an attempt holds its pair's slot while its password is verified.
pub const IN_FLIGHT_MS: i64 = 2_000;
/// The first wait after the threshold; it doubles with each further failure.
const FIRST_WAIT_MS: i64 = 5_000;
const LONGEST_WAIT_MS: i64 = 15 * 60 * 1_000;
/// Failures this old no longer count.
const FORGET_AFTER_MS: i64 = 60 * 60 * 1_000;
/// The client threshold is this many times the pair's.
const CLIENT_FACTOR: u32 = 4;

/// The two counters one attempt goes through.
#[derive(Debug, Clone)]
pub struct Attempt {
    pair: String,
    client: String,
}

impl Attempt {
    pub fn new(email_key: &str, client_ip: &str) -> Self {
        let digest = |text: String| format!("{:x}", Sha256::digest(text.as_bytes()));
        Self {
            pair: keys::login_attempts("pair", &digest(format!("{email_key}\n{client_ip}"))),
            client: keys::login_attempts("client", &digest(client_ip.to_owned())),
        }
    }
}

/// How long to wait after `failures` failures in a row, with `threshold` free ones.
pub fn wait_after(failures: u32, threshold: u32) -> i64 {
    if failures < threshold {
        return 0;
    }
    let doublings = (failures - threshold).min(20);
    (FIRST_WAIT_MS << doublings).min(LONGEST_WAIT_MS)
}

struct Counter {
    failures: u32,
    not_before: i64,
}

async fn counter(table: &Table, pk: &str, now: i64) -> Result<Option<Counter>, StoreError> {
    let Some(item) = table.get(pk, keys::LOGIN_SK).await? else {
        return Ok(None);
    };
    let number = |name: &str| fountain_store::number_attribute::<i64>(&item, name);
    let last_failure = number("lastFailureAt").unwrap_or(0);
    let failures = if now - last_failure > FORGET_AFTER_MS {
        0
    } else {
        number("failures")
            .unwrap_or(0)
            .clamp(0, i64::from(u32::MAX)) as u32
    };
    Ok(Some(Counter {
        failures,
        not_before: number("notBefore").unwrap_or(0),
    }))
}

fn seconds_until(at: i64, now: i64) -> u64 {
    ((at - now + 999) / 1000).max(1) as u64
}

/// Reserves the attempt: `Err(seconds)` when the client must wait that long first.
pub async fn reserve(
    table: &Table,
    attempt: &Attempt,
    threshold: u32,
    now: DateTime<Utc>,
) -> Result<Result<(), u64>, StoreError> {
    let now = now.timestamp_millis();
    if let Some(client) = counter(table, &attempt.client, now).await? {
        let wait = wait_after(client.failures, threshold.saturating_mul(CLIENT_FACTOR));
        if client.not_before.max(0) + wait > now && wait > 0 {
            return Ok(Err(seconds_until(client.not_before + wait, now)));
        }
    }
    let pair = counter(table, &attempt.pair, now).await?;
    let held_until = pair.as_ref().map_or(0, |p| p.not_before);
    if held_until > now {
        return Ok(Err(seconds_until(held_until, now)));
    }
    // The slot is taken only if nobody took it since it was read.
    let taken = table
        .client
        .update_item()
        .table_name(&table.name)
        .set_key(Some(Table::key(&attempt.pair, keys::LOGIN_SK)))
        .update_expression("SET notBefore = :held, expiresAt = :expires")
        .condition_expression("attribute_not_exists(notBefore) OR notBefore = :seen")
        .expression_attribute_values(":held", n(now + IN_FLIGHT_MS))
        .expression_attribute_values(":seen", n(held_until))
        .expression_attribute_values(":expires", n((now + FORGET_AFTER_MS) / 1000))
        .send()
        .await
        .map_err(StoreError::from_sdk);
    match taken {
        Ok(_) => Ok(Ok(())),
        Err(StoreError::ConditionFailed) => Ok(Err(seconds_until(now + IN_FLIGHT_MS, now))),
        Err(e) => Err(e),
    }
}

/// The password was wrong: both counters count it; the pair waits per the backoff.
pub async fn failed(
    table: &Table,
    attempt: &Attempt,
    threshold: u32,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let now = now.timestamp_millis();
    for (pk, threshold) in [
        (&attempt.pair, threshold),
        (&attempt.client, threshold.saturating_mul(CLIENT_FACTOR)),
    ] {
        let failures = counter(table, pk, now)
            .await?
            .map_or(0, |c| c.failures)
            .saturating_add(1);
        table
            .client
            .update_item()
            .table_name(&table.name)
            .set_key(Some(Table::key(pk, keys::LOGIN_SK)))
            .update_expression(
                "SET failures = :failures, lastFailureAt = :now, notBefore = :next, expiresAt = :expires",
            )
            .expression_attribute_values(":failures", n(failures))
            .expression_attribute_values(":now", n(now))
            .expression_attribute_values(":next", n(now + wait_after(failures, threshold)))
            .expression_attribute_values(":expires", n((now + FORGET_AFTER_MS) / 1000))
            .send()
            .await
            .map_err(StoreError::from_sdk)?;
    }
    Ok(())
}

/// The password was right: the pair starts afresh (the client's count stays: a success
/// from a shared address says nothing of the other attempts from it).
pub async fn succeeded(table: &Table, attempt: &Attempt) -> Result<(), StoreError> {
    table
        .client
        .delete_item()
        .table_name(&table.name)
        .set_key(Some(Table::key(&attempt.pair, keys::LOGIN_SK)))
        .send()
        .await
        .map_err(StoreError::from_sdk)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_starts_at_the_threshold_and_doubles_up_to_fifteen_minutes() {
        assert_eq!(wait_after(4, 5), 0);
        assert_eq!(wait_after(5, 5), 5_000);
        assert_eq!(wait_after(6, 5), 10_000);
        assert_eq!(wait_after(100, 5), LONGEST_WAIT_MS);
    }

    #[test]
    fn pairs_are_per_email_and_client_and_clients_per_address() {
        let a = Attempt::new("k@example.org", "203.0.113.7");
        let b = Attempt::new("k@example.org", "198.51.100.1");
        let c = Attempt::new("m@example.org", "203.0.113.7");
        assert_ne!(a.pair, b.pair);
        assert_ne!(a.pair, c.pair);
        assert_eq!(a.client, c.client);
        assert!(!a.pair.contains("example.org"), "no email in a key");
    }
}
