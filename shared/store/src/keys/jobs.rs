//! Generation jobs, in their owner's partition (`JOB#<jobId>`, indexed as active or done),
//! the items that bind an Idempotency-Key to its job, and the daily usage counters.

/// A job (`JOB#<jobId>`).
pub const JOB: &str = "JOB#";
/// What the index entries of queued and running jobs start with (`JOB#active#<jobId>`).
pub const JOB_ACTIVE: &str = "JOB#active#";
/// What the index entries of finished jobs start with (`JOB#done#<jobId>`).
pub const JOB_DONE: &str = "JOB#done#";
/// The item of an Idempotency-Key (`JOBKEY#<hash>`). It does not start with [`JOB`], so the
/// listing skips it.
pub const JOB_KEY: &str = "JOBKEY#";
/// A day's usage counter (`USAGE#<YYYY-MM-DD>`).
pub const USAGE: &str = "USAGE#";

/// The `gsi1pk` of the jobs held while the generator is down (their `gsi1sk` is the job id).
pub const HELD_JOBS: &str = "HELD_JOBS";
/// The generation context's view of its generator: down or up, as the last ServiceDown or
/// ServiceRecovered it handled said.
pub const GENERATOR_PK: &str = "GENERATOR";
pub const GENERATOR_AVAILABILITY_SK: &str = "AVAILABILITY";

/// The `gsi1pk` of running jobs; their `gsi1sk` is [`running_job`], so the reconciler reads
/// the ones whose lease ran out longest ago first.
pub const RUNNING_JOBS: &str = "RUNNING_JOBS";

/// A running job's index sort key: the time (epoch ms, zero-padded) after which it is
/// stale, then its id.
pub fn running_job(stale_after_ms: i64, job_id: &str) -> String {
    format!("{:013}#{job_id}", stale_after_ms.max(0))
}

pub fn job(job_id: &str) -> String {
    format!("{JOB}{job_id}")
}

/// A job's entry in the index: active (queued or running) or done, then by id.
pub fn job_state(job_id: &str, active: bool) -> String {
    let prefix = if active { JOB_ACTIVE } else { JOB_DONE };
    format!("{prefix}{job_id}")
}

pub fn job_key(key_hash: &str) -> String {
    format!("{JOB_KEY}{key_hash}")
}

/// `day`: the UTC day, `YYYY-MM-DD`.
pub fn usage(day: &str) -> String {
    format!("{USAGE}{day}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_job_key_has_its_format() {
        assert_eq!(job("01J"), "JOB#01J");
        assert_eq!(job_state("01J", true), "JOB#active#01J");
        assert_eq!(job_state("01J", false), "JOB#done#01J");
        assert_eq!(job_key("ab12"), "JOBKEY#ab12");
        assert_eq!(usage("2026-11-25"), "USAGE#2026-11-25");
        assert_eq!(running_job(1_795_600_800_000, "01J"), "1795600800000#01J");
        assert!(running_job(5, "01J") < running_job(1_795_600_800_000, "01J"));
    }
}
