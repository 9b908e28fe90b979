//! Runtime settings: typed values an administrator changes without a redeploy (PUT
//! /config/{key}). They are stored as `CONFIG` / `<key>` items; functions read them through
//! [`Settings`], which caches all of them for at most [`MAX_STALENESS`], so a change takes
//! effect everywhere within that bound.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use fountain_store::{StoreError, Table, keys, s};
use serde::Serialize;

/// How long a function may keep using a value after it changed.
pub const MAX_STALENESS: Duration = Duration::from_secs(5);
pub const CONFIG_PK: &str = keys::CONFIG_PK;

/// Every runtime setting: its name, what it means, its bounds and default (see [`SPECS`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
pub enum SettingKey {
    /// Requests one user may make per minute before 429.
    #[serde(rename = "MAX_REQUESTS_PER_MINUTE")]
    MaxRequestsPerMinute,
    /// Wrong passwords in a row from one client for one email before that client waits.
    #[serde(rename = "MAX_LOGIN_FAILURES")]
    MaxLoginFailures,
    /// Generation jobs a user on the free plan may start per UTC day.
    #[serde(rename = "GENERATIONS_PER_DAY_FREE")]
    GenerationsPerDayFree,
    /// Generation jobs a user on the pro plan may start per UTC day.
    #[serde(rename = "GENERATIONS_PER_DAY_PRO")]
    GenerationsPerDayPro,
    /// Elements of screenplay a user on the free plan may have generated per UTC day.
    #[serde(rename = "GENERATION_ELEMENTS_PER_DAY_FREE")]
    GenerationElementsPerDayFree,
    /// Elements of screenplay a user on the pro plan may have generated per UTC day.
    #[serde(rename = "GENERATION_ELEMENTS_PER_DAY_PRO")]
    GenerationElementsPerDayPro,
    /// Consecutive failed probes after which a dependency is down.
    #[serde(rename = "HEALTH_FAILURES_TO_DOWN")]
    HealthFailuresToDown,
    /// Consecutive successful probes after which a down dependency is up again.
    #[serde(rename = "HEALTH_SUCCESSES_TO_UP")]
    HealthSuccessesToUp,
    /// Consecutive generator failures in the workers that open the circuit breaker.
    #[serde(rename = "GENERATOR_BREAKER_FAILURES")]
    GeneratorBreakerFailures,
    /// Generation jobs per worker the scaler aims at.
    #[serde(rename = "GENERATION_JOBS_PER_WORKER")]
    GenerationJobsPerWorker,
    /// The generation worker's concurrency with no backlog.
    #[serde(rename = "GENERATION_MIN_CONCURRENCY")]
    GenerationMinConcurrency,
    /// The most generation workers the scaler allows.
    #[serde(rename = "GENERATION_MAX_CONCURRENCY")]
    GenerationMaxConcurrency,
    /// Sign-in requests (register, login, refresh) one client address may make per minute.
    #[serde(rename = "SIGN_IN_REQUESTS_PER_MINUTE_PER_CLIENT")]
    SignInRequestsPerMinutePerClient,
    /// Register and login requests for one email per minute.
    #[serde(rename = "SIGN_IN_REQUESTS_PER_MINUTE_PER_EMAIL")]
    SignInRequestsPerMinutePerEmail,
    /// Scripts one user may own.
    #[serde(rename = "MAX_SCRIPTS_PER_USER")]
    MaxScriptsPerUser,
    /// Versions one script may keep.
    #[serde(rename = "MAX_VERSIONS_PER_SCRIPT")]
    MaxVersionsPerScript,
    /// Elements one script may hold.
    #[serde(rename = "MAX_ELEMENTS_PER_SCRIPT")]
    MaxElementsPerScript,
    /// Characters of screenplay one generation may send to the text generator.
    #[serde(rename = "MAX_GENERATION_INPUT_CHARS")]
    MaxGenerationInputChars,
}

/// One setting's name, meaning, inclusive bounds and default.
struct Spec {
    key: SettingKey,
    name: &'static str,
    description: &'static str,
    min: u64,
    max: u64,
    default: u64,
}

const SPECS: [Spec; 18] = [
    Spec {
        key: SettingKey::MaxRequestsPerMinute,
        name: "MAX_REQUESTS_PER_MINUTE",
        description: "Requests one user may make per minute before 429.",
        min: 1,
        max: 100_000,
        default: 600,
    },
    Spec {
        key: SettingKey::MaxLoginFailures,
        name: "MAX_LOGIN_FAILURES",
        description: "Wrong passwords in a row from one client for one email before that client waits (5 s, doubling up to 15 minutes); no account is locked.",
        min: 1,
        max: 100,
        default: 5,
    },
    Spec {
        key: SettingKey::GenerationsPerDayFree,
        name: "GENERATIONS_PER_DAY_FREE",
        description: "Story generation jobs a user on the free plan may start per UTC day.",
        min: 0,
        max: 100_000,
        default: 20,
    },
    Spec {
        key: SettingKey::GenerationsPerDayPro,
        name: "GENERATIONS_PER_DAY_PRO",
        description: "Story generation jobs a user on the pro plan may start per UTC day.",
        min: 0,
        max: 100_000,
        default: 500,
    },
    Spec {
        key: SettingKey::GenerationElementsPerDayFree,
        name: "GENERATION_ELEMENTS_PER_DAY_FREE",
        description: "Elements of screenplay a user on the free plan may have generated per UTC day, each job counting its script's elements: the quota follows what generation costs, not only how often it is asked for.",
        min: 0,
        max: 100_000_000,
        default: 40_000,
    },
    Spec {
        key: SettingKey::GenerationElementsPerDayPro,
        name: "GENERATION_ELEMENTS_PER_DAY_PRO",
        description: "Elements of screenplay a user on the pro plan may have generated per UTC day.",
        min: 0,
        max: 100_000_000,
        default: 1_000_000,
    },
    Spec {
        key: SettingKey::HealthFailuresToDown,
        name: "HEALTH_FAILURES_TO_DOWN",
        description: "Consecutive failed health probes after which a dependency is down (ServiceDown).",
        min: 1,
        max: 20,
        default: 2,
    },
    Spec {
        key: SettingKey::HealthSuccessesToUp,
        name: "HEALTH_SUCCESSES_TO_UP",
        description: "Consecutive successful health probes after which a down dependency is up again (ServiceRecovered).",
        min: 1,
        max: 20,
        default: 2,
    },
    Spec {
        key: SettingKey::GeneratorBreakerFailures,
        name: "GENERATOR_BREAKER_FAILURES",
        description: "Consecutive text generator failures in the generation workers that open the circuit breaker (ServiceDown).",
        min: 1,
        max: 100,
        default: 3,
    },
    Spec {
        key: SettingKey::GenerationJobsPerWorker,
        name: "GENERATION_JOBS_PER_WORKER",
        description: "Generation jobs waiting or running per worker the scaler aims at: a backlog of 40 at 5 asks for 8 workers.",
        min: 1,
        max: 1_000,
        default: 5,
    },
    Spec {
        key: SettingKey::GenerationMinConcurrency,
        name: "GENERATION_MIN_CONCURRENCY",
        description: "The generation worker's maximum concurrency with no backlog (SQS event sources allow 2 or more).",
        min: 2,
        max: 1_000,
        default: 2,
    },
    Spec {
        key: SettingKey::GenerationMaxConcurrency,
        name: "GENERATION_MAX_CONCURRENCY",
        description: "The ceiling the scaler raises the generation worker's maximum concurrency to.",
        min: 2,
        max: 1_000,
        default: 20,
    },
    Spec {
        key: SettingKey::SignInRequestsPerMinutePerClient,
        name: "SIGN_IN_REQUESTS_PER_MINUTE_PER_CLIENT",
        description: "Register, login and refresh requests one client address may make per clock minute before 429.",
        min: 1,
        max: 100_000,
        default: 60,
    },
    Spec {
        key: SettingKey::SignInRequestsPerMinutePerEmail,
        name: "SIGN_IN_REQUESTS_PER_MINUTE_PER_EMAIL",
        description: "Register and login requests for one email address per clock minute before 429, from any address.",
        min: 1,
        max: 100_000,
        default: 20,
    },
    Spec {
        key: SettingKey::MaxScriptsPerUser,
        name: "MAX_SCRIPTS_PER_USER",
        description: "Scripts one user may own; creating one more answers 422 (limit-reached) until one is deleted.",
        min: 1,
        max: 100_000,
        default: 200,
    },
    Spec {
        key: SettingKey::MaxVersionsPerScript,
        name: "MAX_VERSIONS_PER_SCRIPT",
        description: "Versions (snapshots) one script may keep; each is a full copy of the script, so they are capped like storage.",
        min: 1,
        max: 100_000,
        default: 500,
    },
    Spec {
        key: SettingKey::MaxElementsPerScript,
        name: "MAX_ELEMENTS_PER_SCRIPT",
        description: "Elements one script may hold (a feature has 1,500 to 3,000); one more, or an import of more, answers 422 (limit-reached).",
        min: 1,
        max: 1_000_000,
        default: 20_000,
    },
    Spec {
        key: SettingKey::MaxGenerationInputChars,
        name: "MAX_GENERATION_INPUT_CHARS",
        description: "Characters of screenplay one generation may send to the text generator (about 2,000 a page); a larger script's job fails before any call, saying so.",
        min: 1_000,
        max: 50_000_000,
        default: 600_000,
    },
];

impl SettingKey {
    pub const ALL: [SettingKey; 18] = [
        SettingKey::MaxRequestsPerMinute,
        SettingKey::MaxLoginFailures,
        SettingKey::GenerationsPerDayFree,
        SettingKey::GenerationsPerDayPro,
        SettingKey::GenerationElementsPerDayFree,
        SettingKey::GenerationElementsPerDayPro,
        SettingKey::HealthFailuresToDown,
        SettingKey::HealthSuccessesToUp,
        SettingKey::GeneratorBreakerFailures,
        SettingKey::GenerationJobsPerWorker,
        SettingKey::GenerationMinConcurrency,
        SettingKey::GenerationMaxConcurrency,
        SettingKey::SignInRequestsPerMinutePerClient,
        SettingKey::SignInRequestsPerMinutePerEmail,
        SettingKey::MaxScriptsPerUser,
        SettingKey::MaxVersionsPerScript,
        SettingKey::MaxElementsPerScript,
        SettingKey::MaxGenerationInputChars,
    ];

    fn spec(self) -> &'static Spec {
        // SPECS lists every key once (a test checks it), so the fallback is never taken.
        SPECS
            .iter()
            .find(|spec| spec.key == self)
            .unwrap_or(&SPECS[0])
    }

    pub fn name(self) -> &'static str {
        self.spec().name
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|key| key.name() == name)
    }

    pub fn description(self) -> &'static str {
        self.spec().description
    }

    /// Inclusive bounds of valid values.
    pub fn bounds(self) -> (u64, u64) {
        (self.spec().min, self.spec().max)
    }

    pub fn default_value(self) -> u64 {
        self.spec().default
    }

    /// Why `value` is not valid for this key, if it is not.
    pub fn check(self, value: u64) -> Result<(), String> {
        let (min, max) = self.bounds();
        if (min..=max).contains(&value) {
            Ok(())
        } else {
            Err(format!("must be between {min} and {max}"))
        }
    }
}

/// The settings as this process sees them, refreshed at most every [`MAX_STALENESS`].
#[derive(Debug)]
pub struct Settings {
    table: Table,
    cache: Mutex<Option<(Instant, HashMap<String, u64>)>>,
}

impl Clone for Settings {
    fn clone(&self) -> Self {
        Self::new(self.table.clone())
    }
}

impl Settings {
    pub fn new(table: Table) -> Self {
        Self {
            table,
            cache: Mutex::new(None),
        }
    }

    /// The current value of `key` (its default when never set).
    pub async fn get(&self, key: SettingKey) -> Result<u64, StoreError> {
        let cached = match self.cache.lock() {
            Ok(guard) => guard
                .as_ref()
                .filter(|(at, _)| at.elapsed() < MAX_STALENESS)
                .map(|(_, values)| values.get(key.name()).copied()),
            Err(_) => None,
        };
        let value = match cached {
            Some(value) => value,
            None => {
                let values = self.load().await?;
                let value = values.get(key.name()).copied();
                if let Ok(mut guard) = self.cache.lock() {
                    *guard = Some((Instant::now(), values));
                }
                value
            }
        };
        Ok(value.unwrap_or_else(|| key.default_value()))
    }

    /// Every stored value (all pages).
    pub async fn load(&self) -> Result<HashMap<String, u64>, StoreError> {
        let query = self
            .table
            .client
            .query()
            .table_name(&self.table.name)
            .key_condition_expression("pk = :pk")
            .expression_attribute_values(":pk", s(CONFIG_PK));
        Ok(self
            .table
            .query_all(query)
            .await?
            .into_iter()
            .filter_map(|item| {
                let key = item.get("sk")?.as_s().ok()?.clone();
                let value = item.get("value")?.as_n().ok()?.parse().ok()?;
                Some((key, value))
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_parse_by_name_and_check_their_bounds() {
        assert_eq!(
            SettingKey::parse("MAX_REQUESTS_PER_MINUTE"),
            Some(SettingKey::MaxRequestsPerMinute)
        );
        assert_eq!(SettingKey::parse("max_requests_per_minute"), None);
        assert!(SettingKey::MaxRequestsPerMinute.check(0).is_err());
        assert!(SettingKey::MaxRequestsPerMinute.check(100_001).is_err());
        assert!(SettingKey::MaxLoginFailures.check(5).is_ok());
        for key in SettingKey::ALL {
            assert!(key.check(key.default_value()).is_ok());
            assert_eq!(SPECS.iter().filter(|spec| spec.key == key).count(), 1);
            assert_eq!(
                serde_json::to_value(key).unwrap(),
                serde_json::json!(key.name()),
                "the serde name is the spec's"
            );
        }
        assert_eq!(SPECS.len(), SettingKey::ALL.len());
    }
}
