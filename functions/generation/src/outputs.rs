//! A job's files in S3, at `generations/<ownerId>/<jobId>/<name>`: one fixed key per file,
//! so a retried attempt overwrites its predecessor's partial upload with the same bytes
//! instead of adding a second result. Readers get presigned URLs, never the bucket.

use std::time::Duration;

use aws_sdk_s3::presigning::PresigningConfig;
use aws_sdk_s3::primitives::ByteStream;
use fountain_events::catalog::GenerationOutput;
use sha2::{Digest, Sha256};

use crate::model::{Job, OutputLink, hex};

/// How long a presigned output URL works.
pub const LINK_LIFETIME: Duration = Duration::from_secs(15 * 60);

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("storing {name} failed: {detail}")]
    Upload { name: String, detail: String },
    #[error("signing a link to {name} failed: {detail}")]
    Presign { name: String, detail: String },
}

/// The bucket of generated files.
#[derive(Debug, Clone)]
pub struct Outputs {
    pub client: aws_sdk_s3::Client,
    pub bucket: String,
}

/// One file ready to store.
#[derive(Debug, Clone)]
pub struct OutputFile {
    pub name: &'static str,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

impl OutputFile {
    pub fn describe(&self) -> GenerationOutput {
        GenerationOutput {
            name: self.name.to_owned(),
            content_type: self.content_type.to_owned(),
            bytes: self.bytes.len() as u64,
            sha256: hex(&Sha256::digest(&self.bytes)),
        }
    }
}

impl Outputs {
    /// An S3 client for `sdk`; with an endpoint override (the local emulator) it addresses
    /// buckets by path, since `bucket.127.0.0.1` resolves nowhere.
    pub fn new(sdk: &aws_config::SdkConfig, bucket: String) -> Self {
        let config = aws_sdk_s3::config::Builder::from(sdk)
            .force_path_style(sdk.endpoint_url().is_some())
            .build();
        Self {
            client: aws_sdk_s3::Client::from_conf(config),
            bucket,
        }
    }

    pub fn key(owner_id: &str, job_id: &str, name: &str) -> String {
        format!("{}{job_id}/{name}", Self::owner_prefix(owner_id))
    }

    /// Where every file of `owner_id`'s jobs is.
    pub fn owner_prefix(owner_id: &str) -> String {
        format!("generations/{owner_id}/")
    }

    pub async fn put(&self, job: &Job, file: OutputFile) -> Result<GenerationOutput, OutputError> {
        let described = file.describe();
        self.client
            .put_object()
            .bucket(&self.bucket)
            .key(Self::key(&job.owner_id, &job.job_id, file.name))
            .content_type(file.content_type)
            .content_disposition(format!("attachment; filename=\"{}\"", file.name))
            .body(ByteStream::from(file.bytes))
            .send()
            .await
            .map_err(|e| OutputError::Upload {
                name: file.name.to_owned(),
                detail: aws_sdk_s3::error::DisplayErrorContext(e).to_string(),
            })?;
        Ok(described)
    }

    /// Links to every output of a succeeded job.
    pub async fn links(&self, job: &Job) -> Result<Vec<OutputLink>, OutputError> {
        let mut links = Vec::with_capacity(job.outputs.len());
        for output in &job.outputs {
            let presign_error = |detail: String| OutputError::Presign {
                name: output.name.clone(),
                detail,
            };
            let config = PresigningConfig::expires_in(LINK_LIFETIME)
                .map_err(|e| presign_error(e.to_string()))?;
            let request = self
                .client
                .get_object()
                .bucket(&self.bucket)
                .key(Self::key(&job.owner_id, &job.job_id, &output.name))
                .presigned(config)
                .await
                .map_err(|e| presign_error(e.to_string()))?;
            links.push(OutputLink {
                name: output.name.clone(),
                content_type: output.content_type.clone(),
                bytes: output.bytes,
                sha256: output.sha256.clone(),
                url: request.uri().to_owned(),
                expires_in_seconds: LINK_LIFETIME.as_secs(),
            });
        }
        Ok(links)
    }
}
