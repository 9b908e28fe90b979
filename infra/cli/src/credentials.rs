//! The stored sessions: one token pair per API URL, in `credentials.json` in the user's
//! config directory (`$FOUNTAIN_CONFIG_DIR` instead, when set), readable by the user alone.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::error::CliError;

/// A session is renewed when its access token has less than this left, so that a request
/// does not start with a token that expires on the way.
const RENEW_BEFORE: Duration = Duration::seconds(30);

/// A logged-in session with one stack.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    #[serde(default)]
    pub email: Option<String>,
    pub access_token: String,
    /// Single use: the refresh that spends it stores the pair it gives.
    pub refresh_token: String,
    /// When the access token expires (from `expiresIn` when it was issued).
    pub expires_at: DateTime<Utc>,
    #[serde(default)]
    pub refresh_expires_at: Option<DateTime<Utc>>,
}

/// `POST /auth/login` and `POST /auth/refresh` answer with this.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenPair {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_in: i64,
    #[serde(default)]
    pub refresh_expires_in: Option<i64>,
}

impl Session {
    pub fn from_pair(pair: TokenPair, email: Option<String>) -> Self {
        let now = Utc::now();
        Self {
            email,
            access_token: pair.access_token,
            refresh_token: pair.refresh_token,
            expires_at: now + Duration::seconds(pair.expires_in),
            refresh_expires_at: pair.refresh_expires_in.map(|s| now + Duration::seconds(s)),
        }
    }

    pub fn needs_renewal(&self) -> bool {
        self.expires_at - Utc::now() < RENEW_BEFORE
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Stored {
    /// By API URL (without a trailing slash).
    #[serde(default)]
    stacks: BTreeMap<String, Session>,
}

/// The credentials file.
#[derive(Debug, Clone)]
pub struct Store {
    path: PathBuf,
}

impl Store {
    /// `$FOUNTAIN_CONFIG_DIR/credentials.json`, else `<config dir>/fountain/credentials.json`.
    pub fn locate() -> Result<Self, CliError> {
        let dir = match std::env::var_os("FOUNTAIN_CONFIG_DIR") {
            Some(dir) if !dir.is_empty() => PathBuf::from(dir),
            _ => dirs::config_dir()
                .ok_or_else(|| {
                    CliError::Local(
                        "no config directory for this user: set FOUNTAIN_CONFIG_DIR".into(),
                    )
                })?
                .join("fountain"),
        };
        Ok(Self {
            path: dir.join("credentials.json"),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn load(&self, api: &str) -> Result<Option<Session>, CliError> {
        Ok(self.read()?.stacks.remove(api))
    }

    pub fn save(&self, api: &str, session: &Session) -> Result<(), CliError> {
        let mut stored = self.read()?;
        stored.stacks.insert(api.to_owned(), session.clone());
        self.write(&stored)
    }

    /// Forgets the session with `api`; whether there was one.
    pub fn remove(&self, api: &str) -> Result<bool, CliError> {
        let mut stored = self.read()?;
        let had = stored.stacks.remove(api).is_some();
        if had {
            self.write(&stored)?;
        }
        Ok(had)
    }

    fn read(&self) -> Result<Stored, CliError> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Stored::default()),
            Err(e) => return Err(self.local("cannot read", &e)),
        };
        serde_json::from_str(&text).map_err(|e| {
            CliError::Local(format!(
                "the credentials file {} is not readable ({e}): delete it and log in again",
                self.path.display()
            ))
        })
    }

    /// Writes a new file beside the old one and renames it over, so that a reader never
    /// sees half a file; the file is created with mode 0600 (its directory 0700).
    fn write(&self, stored: &Stored) -> Result<(), CliError> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        create_private_dir(dir).map_err(|e| self.local("cannot create the directory of", &e))?;
        let text = serde_json::to_string_pretty(stored)
            .map_err(|e| CliError::Local(format!("cannot encode the credentials: {e}")))?;
        let temporary = dir.join(format!(".credentials.json.{}", std::process::id()));
        let written = open_private(&temporary).and_then(|mut file| {
            file.write_all(text.as_bytes())?;
            file.sync_all()
        });
        if let Err(e) = written.and_then(|()| std::fs::rename(&temporary, &self.path)) {
            let _ = std::fs::remove_file(&temporary);
            return Err(self.local("cannot write", &e));
        }
        Ok(())
    }

    fn local(&self, what: &str, error: &std::io::Error) -> CliError {
        CliError::Local(format!("{what} {}: {error}", self.path.display()))
    }
}

#[cfg(unix)]
fn open_private(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    // The mode above applies only to a new file; a leftover one is tightened too.
    file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    Ok(file)
}

#[cfg(not(unix))]
fn open_private(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::create(path)
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)
}
