//! Each dependency's state (up or down, and the streak of checks that decides it) and its
//! transitions. A transition is one transaction: the new state, a history entry and the
//! ServiceDown or ServiceRecovered event in the outbox, so an event is published exactly
//! when the state changes, whoever observed it (the scheduled checker or a worker's
//! circuit breaker). Concurrent observers are ordered by the state's revision.

use chrono::{DateTime, SecondsFormat, Utc};
use fountain_events::catalog::{ServiceDown, ServiceRecovered};
use fountain_events::{EventContext, EventEnvelope};
use fountain_store::{
    Expression, Item, ItemCodec, Label, StoreError, Table, Transaction, from_item, keyed_item,
    keys, n,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::dependency::Dependency;

/// How long a history entry is kept.
pub const HISTORY_RETENTION_DAYS: i64 = 30;

const STATE_CHANGED: Label = Label::new("the dependency's state changed meanwhile");
/// Concurrent observers retry on a fresh read this many times before giving up.
const ATTEMPTS: usize = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum Status {
    Up,
    Down,
}

/// A dependency's stored state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DependencyState {
    pub dependency: Dependency,
    pub status: Status,
    /// When the current status began (for a dependency never seen down: its first check).
    pub since: DateTime<Utc>,
    /// The current streak: consecutive failed checks (0 after a success).
    pub failures: u32,
    /// Consecutive successful checks (0 after a failure).
    pub successes: u32,
    /// When the current streak of failures began.
    pub failing_since: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub checked_at: DateTime<Utc>,
    /// Bumped by every write; a write is based on the revision it read.
    pub revision: u64,
}

impl ItemCodec for DependencyState {
    fn to_item(&self) -> Result<Item, StoreError> {
        keyed_item(
            self,
            &[
                ("pk", keys::HEALTH_PK),
                ("sk", &keys::dependency(self.dependency.name())),
            ],
        )
    }

    fn from_item(item: Item) -> Result<Self, StoreError> {
        from_item(item)
    }
}

/// How many checks in a row change a status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Thresholds {
    pub failures_to_down: u32,
    pub successes_to_up: u32,
}

/// A status change an observation caused.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    Down {
        since: DateTime<Utc>,
        last_error: String,
    },
    Recovered {
        down_since: DateTime<Utc>,
        since: DateTime<Utc>,
    },
}

/// The state after one check of `dependency` ended with `outcome` at `now`, and the status
/// change it caused, if any.
pub fn observe(
    previous: Option<&DependencyState>,
    dependency: Dependency,
    outcome: &Result<(), String>,
    thresholds: Thresholds,
    now: DateTime<Utc>,
) -> (DependencyState, Option<Change>) {
    let mut state = previous.cloned().unwrap_or(DependencyState {
        dependency,
        status: Status::Up,
        since: now,
        failures: 0,
        successes: 0,
        failing_since: None,
        last_error: None,
        checked_at: now,
        revision: 0,
    });
    state.checked_at = now;
    state.revision += 1;
    let change = match outcome {
        Ok(()) => {
            state.failures = 0;
            state.failing_since = None;
            state.successes = state.successes.saturating_add(1);
            if state.status == Status::Down && state.successes >= thresholds.successes_to_up {
                let down_since = state.since;
                state.status = Status::Up;
                state.since = now;
                state.last_error = None;
                Some(Change::Recovered {
                    down_since,
                    since: now,
                })
            } else {
                None
            }
        }
        Err(error) => {
            state.successes = 0;
            state.failures = state.failures.saturating_add(1);
            let failing_since = *state.failing_since.get_or_insert(now);
            state.last_error = Some(error.clone());
            if state.status == Status::Up && state.failures >= thresholds.failures_to_down {
                state.status = Status::Down;
                state.since = failing_since;
                Some(Change::Down {
                    since: failing_since,
                    last_error: error.clone(),
                })
            } else {
                None
            }
        }
    };
    (state, change)
}

/// One entry of the history: a status change and its event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Transition {
    pub dependency: Dependency,
    /// The new status.
    pub status: Status,
    /// When it was observed.
    #[schema(value_type = String, format = DateTime)]
    pub at: DateTime<Utc>,
    /// Down: when the failures began; up: when it was found down.
    #[schema(value_type = String, format = DateTime)]
    pub since: DateTime<Utc>,
    pub last_error: Option<String>,
    /// `health_check` or `generation_breaker`.
    pub detected_by: String,
    /// The ServiceDown or ServiceRecovered event.
    pub event_id: String,
    pub correlation_id: String,
}

impl ItemCodec for Transition {
    fn to_item(&self) -> Result<Item, StoreError> {
        let at = self.at.to_rfc3339_opts(SecondsFormat::Millis, true);
        let mut item = keyed_item(
            self,
            &[
                ("pk", keys::HEALTH_HISTORY_PK),
                ("sk", &keys::health_transition(&at, &self.event_id)),
            ],
        )?;
        let expires = self.at + chrono::Duration::days(HISTORY_RETENTION_DAYS);
        item.insert("expiresAt".into(), n(expires.timestamp()));
        Ok(item)
    }

    fn from_item(item: Item) -> Result<Self, StoreError> {
        from_item(item)
    }
}

/// Who observed a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Observer {
    HealthCheck,
    GenerationBreaker,
}

impl Observer {
    pub fn name(self) -> &'static str {
        match self {
            Observer::HealthCheck => "health_check",
            Observer::GenerationBreaker => "generation_breaker",
        }
    }
}

/// Records one check of `dependency` and, when it changes the status, the transition with its
/// event, all in one transaction. Returns the event published, if any.
pub async fn record(
    table: &Table,
    dependency: Dependency,
    outcome: Result<(), String>,
    thresholds: Thresholds,
    observer: Observer,
    context: &EventContext,
) -> Result<Option<EventEnvelope>, StoreError> {
    let mut last = StoreError::TransactionConflict;
    for _ in 0..ATTEMPTS {
        let previous = state(table, dependency).await?;
        // A breaker's success with no streak to end changes nothing: no write per call.
        let quiet = previous
            .as_ref()
            .is_none_or(|p| p.status == Status::Up && p.failures == 0);
        if observer == Observer::GenerationBreaker && outcome.is_ok() && quiet {
            return Ok(None);
        }
        let (next, change) = observe(
            previous.as_ref(),
            dependency,
            &outcome,
            thresholds,
            Utc::now(),
        );
        let based_on = match &previous {
            Some(previous) => Expression::revision_is(previous.revision),
            None => Expression::absent(),
        };
        let mut transaction =
            Transaction::new().put(next.to_item()?, Some(based_on.labelled(STATE_CHANGED)));
        let envelope = match &change {
            Some(change) => {
                let envelope = event(dependency, change, observer, context)
                    .map_err(|e| StoreError::Invalid(e.to_string()))?;
                let transition = Transition {
                    dependency,
                    status: next.status,
                    at: next.checked_at,
                    since: match change {
                        Change::Down { since, .. } => *since,
                        Change::Recovered { down_since, .. } => *down_since,
                    },
                    last_error: next.last_error.clone(),
                    detected_by: observer.name().to_owned(),
                    event_id: envelope.id.clone(),
                    correlation_id: envelope.correlation_id.clone(),
                };
                transaction = transaction
                    .put(transition.to_item()?, None)
                    .event(&envelope)?;
                Some(envelope)
            }
            None => None,
        };
        match transaction.commit(table).await {
            Ok(()) => return Ok(envelope),
            Err(
                e @ (StoreError::Refused { .. }
                | StoreError::ConditionFailed
                | StoreError::TransactionConflict),
            ) => last = e,
            Err(e) => return Err(e),
        }
    }
    Err(last)
}

fn event(
    dependency: Dependency,
    change: &Change,
    observer: Observer,
    context: &EventContext,
) -> Result<EventEnvelope, serde_json::Error> {
    match change {
        Change::Down { since, last_error } => EventEnvelope::new(
            &ServiceDown {
                dependency: dependency.name().to_owned(),
                since: *since,
                last_error: last_error.clone(),
                detected_by: observer.name().to_owned(),
            },
            context,
        ),
        Change::Recovered { down_since, since } => EventEnvelope::new(
            &ServiceRecovered {
                dependency: dependency.name().to_owned(),
                down_since: *down_since,
                since: *since,
                detected_by: observer.name().to_owned(),
            },
            context,
        ),
    }
}

/// The stored state of `dependency` (none before its first check).
pub async fn state(
    table: &Table,
    dependency: Dependency,
) -> Result<Option<DependencyState>, StoreError> {
    table
        .get_as(keys::HEALTH_PK, &keys::dependency(dependency.name()))
        .await
}

/// Every stored dependency state.
pub async fn states(table: &Table) -> Result<Vec<DependencyState>, StoreError> {
    // One partition of at most five small items: a single page.
    let items = table
        .query_prefix(keys::HEALTH_PK, keys::DEPENDENCY)
        .send()
        .await
        .map_err(StoreError::from_sdk)?
        .items
        .unwrap_or_default();
    items.into_iter().map(DependencyState::from_item).collect()
}

/// Whether `dependency` is down, as its last recorded transition says.
pub async fn is_down(table: &Table, dependency: Dependency) -> Result<bool, StoreError> {
    Ok(state(table, dependency)
        .await?
        .is_some_and(|state| state.status == Status::Down))
}

#[cfg(test)]
mod tests {
    use super::*;

    const THRESHOLDS: Thresholds = Thresholds {
        failures_to_down: 2,
        successes_to_up: 2,
    };

    fn at(second: u32) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + i64::from(second), 0).unwrap()
    }

    fn run(outcomes: &[Result<(), String>]) -> (DependencyState, Vec<Option<Change>>) {
        let mut state: Option<DependencyState> = None;
        let mut changes = Vec::new();
        for (i, outcome) in outcomes.iter().enumerate() {
            let (next, change) = observe(
                state.as_ref(),
                Dependency::Generator,
                outcome,
                THRESHOLDS,
                at(i as u32),
            );
            state = Some(next);
            changes.push(change);
        }
        (state.unwrap(), changes)
    }

    #[test]
    fn down_after_n_failures_in_a_row_since_the_first_of_them() {
        let error = || Err("refused".to_owned());
        let (state, changes) = run(&[Ok(()), error(), Ok(()), error(), error(), error()]);
        assert_eq!(changes[..4], [None, None, None, None]);
        assert_eq!(
            changes[4],
            Some(Change::Down {
                since: at(3),
                last_error: "refused".into()
            })
        );
        assert_eq!(changes[5], None, "one event per transition");
        assert_eq!(
            (state.status, state.since, state.failures),
            (Status::Down, at(3), 3)
        );
        assert_eq!(state.revision, 6);
    }

    #[test]
    fn up_after_m_successes_in_a_row() {
        let error = || Err("refused".to_owned());
        let (state, changes) = run(&[error(), error(), Ok(()), error(), Ok(()), Ok(()), Ok(())]);
        assert!(matches!(changes[1], Some(Change::Down { .. })));
        assert_eq!(changes[2..5], [None, None, None]);
        assert_eq!(
            changes[5],
            Some(Change::Recovered {
                down_since: at(0),
                since: at(5)
            })
        );
        assert_eq!(changes[6], None);
        assert_eq!((state.status, state.last_error), (Status::Up, None));
    }
}
