//! Plans and their daily generation quota. A job counts against the UTC day it was accepted
//! on, in a counter item (`USER#<id>` / `USAGE#<day>`) that the request's transaction moves
//! on only while it is below the plan's limit, so concurrent requests can never overshoot.

use chrono::{DateTime, Days, NaiveTime, Utc};
use fountain_runtime::settings::{SettingKey, Settings};
use fountain_store::{StoreError, Table, keys, string_attribute};

/// A user's subscription tier: the `plan` attribute of their profile (`USER#<id>` /
/// `PROFILE`), `free` when absent or unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    Free,
    Pro,
}

impl Plan {
    pub fn parse(name: Option<&str>) -> Self {
        match name {
            Some("pro") => Plan::Pro,
            _ => Plan::Free,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Plan::Free => "free",
            Plan::Pro => "pro",
        }
    }

    fn setting(self) -> SettingKey {
        match self {
            Plan::Free => SettingKey::GenerationsPerDayFree,
            Plan::Pro => SettingKey::GenerationsPerDayPro,
        }
    }

    fn elements_setting(self) -> SettingKey {
        match self {
            Plan::Free => SettingKey::GenerationElementsPerDayFree,
            Plan::Pro => SettingKey::GenerationElementsPerDayPro,
        }
    }

    /// The user's plan, read from their profile.
    pub async fn of(table: &Table, user_id: &str) -> Result<Self, StoreError> {
        let profile = table.get(&keys::user(user_id), keys::PROFILE_SK).await?;
        Ok(Self::parse(
            profile.as_ref().and_then(|p| string_attribute(p, "plan")),
        ))
    }

    /// Jobs a day on this plan, as the runtime settings say now.
    pub async fn daily_limit(self, settings: &Settings) -> Result<u32, StoreError> {
        let limit = settings.get(self.setting()).await?;
        Ok(u32::try_from(limit).unwrap_or(u32::MAX))
    }

    /// What a day on this plan allows, as the runtime settings say now.
    pub async fn daily_budget(self, settings: &Settings) -> Result<Budget, StoreError> {
        Ok(Budget {
            jobs: self.daily_limit(settings).await?,
            elements: settings.get(self.elements_setting()).await?,
        })
    }
}

/// A day's quota: jobs, and the elements of screenplay they may generate together (each job
/// weighs its script's element count), so the quota follows cost, not only requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    pub jobs: u32,
    pub elements: u64,
}

/// The quota day of an instant.
pub fn day_of(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d").to_string()
}

/// When the quota of `at`'s day renews: the next UTC midnight.
pub fn resets_at(at: DateTime<Utc>) -> DateTime<Utc> {
    let tomorrow = at
        .date_naive()
        .checked_add_days(Days::new(1))
        .unwrap_or(at.date_naive());
    tomorrow.and_time(NaiveTime::MIN).and_utc()
}

/// Seconds from `at` until the quota renews, at least 1.
pub fn retry_after(at: DateTime<Utc>) -> u64 {
    (resets_at(at) - at).num_seconds().max(1).unsigned_abs()
}

/// The counter item of a user's day.
pub fn usage_sk(day: &str) -> String {
    keys::usage(day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn the_quota_renews_at_the_next_utc_midnight() {
        let now = at("2026-11-25T23:59:30Z");
        assert_eq!(day_of(now), "2026-11-25");
        assert_eq!(resets_at(now), at("2026-11-26T00:00:00Z"));
        assert_eq!(retry_after(now), 30);
        assert_eq!(retry_after(at("2026-12-31T00:00:00Z")), 86_400);
    }

    #[test]
    fn an_unknown_or_missing_plan_is_the_free_one() {
        assert_eq!(Plan::parse(None), Plan::Free);
        assert_eq!(Plan::parse(Some("enterprise")), Plan::Free);
        assert_eq!(Plan::parse(Some("pro")), Plan::Pro);
    }
}
