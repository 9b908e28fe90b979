//! EventBridge schedules, locally: each `Schedule` / `ScheduleV2` event of template.yaml is
//! run by the runner's clock with the payload EventBridge sends (`Scheduled Event`), and
//! [`fire`] runs one at once (tests, and `POST /_local/schedules/{function}`).

use std::str::FromStr;
use std::time::Duration;

use anyhow::{Result, anyhow, bail};
use chrono::{DateTime, Utc};
use fountain_runtime::function::ScheduledEvent;
use serde_json::json;
use tracing::{info, warn};

use crate::functions::Invoker;

/// When a schedule fires.
#[derive(Debug, Clone)]
pub enum Schedule {
    /// `rate(5 minutes)`: every interval from the time the schedule was created.
    Rate(Duration),
    /// `cron(0/5 * * * ? *)`: AWS's six fields (minutes to year), in UTC.
    Cron(Box<cron::Schedule>),
}

impl Schedule {
    pub fn parse(expression: &str) -> Result<Self> {
        let expression = expression.trim();
        if let Some(rate) = inside(expression, "rate") {
            return rate_interval(rate).map(Self::Rate);
        }
        if let Some(fields) = inside(expression, "cron") {
            if fields.split_whitespace().count() != 6 {
                bail!("{expression}: a cron expression has six fields (minutes to year)");
            }
            // The cron crate reads Quartz's syntax, as AWS does, with seconds first.
            let schedule = cron::Schedule::from_str(&format!("0 {fields}"))
                .map_err(|e| anyhow!("{expression}: {e}"))?;
            return Ok(Self::Cron(Box::new(schedule)));
        }
        bail!("{expression}: a schedule is rate(...) or cron(...)")
    }

    /// The first firing strictly after `now`.
    pub fn next_after(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match self {
            Self::Rate(interval) => chrono::Duration::from_std(*interval)
                .ok()
                .map(|step| now + step),
            Self::Cron(schedule) => schedule.after(&now).next(),
        }
    }
}

fn inside<'a>(expression: &'a str, function: &str) -> Option<&'a str> {
    expression
        .strip_prefix(function)?
        .strip_prefix('(')?
        .strip_suffix(')')
}

/// `5 minutes`, `1 hour`, `2 days`: singular for one, as AWS requires.
fn rate_interval(rate: &str) -> Result<Duration> {
    let mut parts = rate.split_whitespace();
    let (Some(value), Some(unit), None) = (parts.next(), parts.next(), parts.next()) else {
        bail!("rate({rate}): expected a value and a unit");
    };
    let value: u64 = value
        .parse()
        .map_err(|_| anyhow!("rate({rate}): {value} is not a positive whole number"))?;
    let seconds = match (value, unit) {
        (0, _) => bail!("rate({rate}): the value must be at least 1"),
        (1, "minute") | (2.., "minutes") => 60,
        (1, "hour") | (2.., "hours") => 3_600,
        (1, "day") | (2.., "days") => 86_400,
        _ => bail!("rate({rate}): the unit is minute(s), hour(s) or day(s), singular for 1"),
    };
    Ok(Duration::from_secs(value * seconds))
}

/// The event EventBridge hands a scheduled function.
pub fn scheduled_event(schedule_name: &str, region: &str) -> ScheduledEvent {
    let mut event = ScheduledEvent::default();
    event.version = Some("0".to_owned());
    event.id = Some(fountain_events::ids::new_id());
    event.detail_type = "Scheduled Event".to_owned();
    event.source = "aws.events".to_owned();
    event.account = Some("000000000000".to_owned());
    event.time = Some(Utc::now());
    event.region = Some(region.to_owned());
    event.resources = Some(vec![format!(
        "arn:aws:events:{region}:000000000000:rule/{schedule_name}"
    )]);
    event.detail = json!({});
    event
}

/// Runs the scheduled function once, now.
pub async fn fire(function: &Invoker, schedule_name: &str, region: &str) -> Result<(), String> {
    let Invoker::Scheduled(function) = function else {
        return Err(format!("{schedule_name} is not a scheduled function"));
    };
    function(scheduled_event(schedule_name, region)).await
}

/// Fires `function` on `schedule` forever. A failed run is logged; the next firing comes
/// on time (EventBridge Scheduler would retry it first, which a local clock need not).
pub async fn run(schedule: Schedule, function: Invoker, schedule_name: String, region: String) {
    loop {
        let now = Utc::now();
        let Some(next) = schedule.next_after(now) else {
            info!(
                schedule = schedule_name,
                "the schedule has no further firing"
            );
            return;
        };
        let wait = (next - now).to_std().unwrap_or_default();
        tokio::time::sleep(wait).await;
        if let Err(error) = fire(&function, &schedule_name, &region).await {
            warn!(schedule = schedule_name, error, "a scheduled run failed");
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn rates_are_aws_rates() {
        let minute = Schedule::parse("rate(1 minute)").unwrap();
        assert!(matches!(minute, Schedule::Rate(d) if d == Duration::from_secs(60)));
        let hours = Schedule::parse("rate(2 hours)").unwrap();
        assert!(matches!(hours, Schedule::Rate(d) if d == Duration::from_secs(7_200)));
        for bad in [
            "rate(1 minutes)",
            "rate(2 minute)",
            "rate(0 minutes)",
            "rate(x)",
            "every(1 minute)",
        ] {
            assert!(Schedule::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn cron_expressions_use_aws_fields_in_utc() {
        let every_five = Schedule::parse("cron(0/5 * * * ? *)").unwrap();
        let at = DateTime::parse_from_rfc3339("2026-12-07T10:02:30Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            every_five.next_after(at).unwrap().to_rfc3339(),
            "2026-12-07T10:05:00+00:00"
        );
        // 1 is Sunday in AWS's day-of-week, as in Quartz: 2026-12-13 is a Sunday.
        let sundays = Schedule::parse("cron(30 3 ? * 1 *)").unwrap();
        assert_eq!(
            sundays.next_after(at).unwrap().to_rfc3339(),
            "2026-12-13T03:30:00+00:00"
        );
        assert!(Schedule::parse("cron(* * * *)").is_err());
    }

    #[tokio::test]
    async fn the_clock_fires_the_function_at_each_interval() {
        use std::sync::Arc;
        use std::sync::atomic::{AtomicUsize, Ordering};
        let runs = Arc::new(AtomicUsize::new(0));
        let counted = runs.clone();
        let function = Invoker::Scheduled(Arc::new(move |event: ScheduledEvent| {
            assert_eq!(event.detail_type, "Scheduled Event");
            counted.fetch_add(1, Ordering::SeqCst);
            Box::pin(async { Ok(()) })
        }));
        let clock = tokio::spawn(run(
            Schedule::Rate(Duration::from_millis(40)),
            function,
            "test".into(),
            "us-east-1".into(),
        ));
        tokio::time::sleep(Duration::from_millis(300)).await;
        clock.abort();
        assert!(runs.load(Ordering::SeqCst) >= 2, "fired {:?}", runs);
    }

    #[test]
    fn the_event_is_a_scheduled_event() {
        let event = scheduled_event("fountain-HealthCheck", "us-east-1");
        assert_eq!(event.detail_type, "Scheduled Event");
        assert_eq!(event.source, "aws.events");
    }
}
