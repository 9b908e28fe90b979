//! Story generation jobs: the jobs API, the SQS worker, outputs in S3, quotas and usage.
