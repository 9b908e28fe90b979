//! The workers' circuit breaker on the text generator: consecutive failed calls are counted
//! in the generator's health state (shared with the scheduled checker), and the call that
//! reaches `GENERATOR_BREAKER_FAILURES` opens it: the generator is down and ServiceDown is
//! published, so an outage between two checks is noticed by the first jobs that meet it.
//! The checker's successful probes close it again (ServiceRecovered).

use fountain_events::EventContext;
use fountain_health::Dependency;
use fountain_health::state::{self, Observer, Status, Thresholds};
use fountain_runtime::settings::{SettingKey, Settings};
use fountain_store::{StoreError, Table};

#[derive(Debug, Clone)]
pub struct Breaker {
    pub table: Table,
    pub settings: Settings,
}

impl Breaker {
    pub fn new(table: Table) -> Self {
        Self {
            settings: Settings::new(table.clone()),
            table,
        }
    }

    async fn thresholds(&self) -> Result<Thresholds, StoreError> {
        let get = |key| async move {
            Ok::<_, StoreError>(u32::try_from(self.settings.get(key).await?).unwrap_or(u32::MAX))
        };
        Ok(Thresholds {
            failures_to_down: get(SettingKey::GeneratorBreakerFailures).await?,
            successes_to_up: get(SettingKey::HealthSuccessesToUp).await?,
        })
    }

    /// Counts a failed call; `true` when the generator is down now (this call opened the
    /// breaker, or it was open).
    pub async fn failed(&self, reason: &str, context: &EventContext) -> Result<bool, StoreError> {
        state::record(
            &self.table,
            Dependency::Generator,
            Err(reason.to_owned()),
            self.thresholds().await?,
            Observer::GenerationBreaker,
            context,
        )
        .await?;
        Ok(state::state(&self.table, Dependency::Generator)
            .await?
            .is_some_and(|s| s.status == Status::Down))
    }

    /// Counts a successful call: ends a streak of failures (nothing is written otherwise).
    pub async fn succeeded(&self, context: &EventContext) -> Result<(), StoreError> {
        state::record(
            &self.table,
            Dependency::Generator,
            Ok(()),
            self.thresholds().await?,
            Observer::GenerationBreaker,
            context,
        )
        .await?;
        Ok(())
    }
}
