//! Caps that follow cost (issue 16, part 6): scripts per owner, versions and elements per
//! script, each a runtime setting, counted in a `COUNTS` item of the owner's or the script's partition
//! and checked by the transaction that adds one, so concurrent requests cannot pass the cap
//! together.

use fountain_http::ApiError;
use fountain_runtime::settings::{SettingKey, Settings};
use fountain_store::{Condition, Expression, Item, Label, StoreError, Table, keys, n};

/// The cap of the counter was reached.
pub const CAP_REACHED: Label = Label::new("cap reached");

/// A counted thing: its counter item and attribute, and the setting that caps it.
#[derive(Debug, Clone, Copy)]
pub enum Cap {
    /// Scripts a user owns (`USER#<id>` / `COUNTS`, `ownedScripts`).
    ScriptsOwned,
    /// Versions of a script (`SCRIPT#<id>` / `COUNTS`, `versions`).
    Versions,
    /// Elements of a script (`SCRIPT#<id>` / `COUNTS`, `elements`): added one by one or by
    /// an import, removed one by one or with their section (by its purge), set by a restore.
    Elements,
}

impl Cap {
    fn attribute(self) -> &'static str {
        match self {
            Cap::ScriptsOwned => "ownedScripts",
            Cap::Versions => "versions",
            Cap::Elements => "elements",
        }
    }

    fn setting(self) -> SettingKey {
        match self {
            Cap::ScriptsOwned => SettingKey::MaxScriptsPerUser,
            Cap::Versions => SettingKey::MaxVersionsPerScript,
            Cap::Elements => SettingKey::MaxElementsPerScript,
        }
    }

    /// The counter's partition; `owner`: the user id, or the script id.
    fn pk(self, owner: &str) -> String {
        match self {
            Cap::ScriptsOwned => keys::user(owner),
            Cap::Versions | Cap::Elements => keys::script(owner),
        }
    }

    fn key(self, owner: &str) -> Item {
        Table::key(self.pk(owner), keys::COUNTS_SK)
    }

    /// The transaction step that counts one more, refused with [`CAP_REACHED`] at `max`.
    pub fn one_more(self, owner: &str, max: u64) -> (Item, Expression, Condition) {
        let attribute = self.attribute();
        (
            self.key(owner),
            Expression::new(format!("ADD {attribute} :one")).value(":one", n(1)),
            Expression::new(format!(
                "attribute_not_exists({attribute}) OR {attribute} < :max"
            ))
            .value(":max", n(max))
            .labelled(CAP_REACHED),
        )
    }

    /// The transaction step that counts one less.
    pub fn one_less(self, owner: &str) -> (Item, Expression) {
        self.fewer(owner, 1)
    }

    /// The transaction step that counts `by` fewer.
    pub fn fewer(self, owner: &str, by: u64) -> (Item, Expression) {
        (
            self.key(owner),
            Expression::new(format!("ADD {} :minus", self.attribute()))
                .value(":minus", n(-i128::from(by))),
        )
    }

    /// The transaction step that sets the count (a restore replaces what it counts).
    pub fn set(self, owner: &str, count: u64) -> (Item, Expression) {
        (
            self.key(owner),
            Expression::new(format!("SET {} = :count", self.attribute())).value(":count", n(count)),
        )
    }

    /// Counts `by` fewer on its own (not in a transaction), only while the counter exists, so
    /// a deleted owner's partition gets no new item.
    pub async fn uncount(self, table: &Table, owner: &str, by: u64) -> Result<(), StoreError> {
        if by == 0 {
            return Ok(());
        }
        let result = table
            .client
            .update_item()
            .table_name(&table.name)
            .set_key(Some(self.key(owner)))
            .update_expression(format!("ADD {} :minus", self.attribute()))
            .condition_expression("attribute_exists(pk)")
            .expression_attribute_values(":minus", n(-i128::from(by)))
            .send()
            .await
            .map_err(StoreError::from_sdk);
        match result {
            Ok(_) | Err(StoreError::ConditionFailed) => Ok(()),
            Err(other) => Err(other),
        }
    }

    /// The counter item of a new owner that starts with `count` (an import writes it with
    /// its content).
    pub fn initial(self, owner: &str, count: u64) -> Item {
        let mut item = self.key(owner);
        item.insert(self.attribute().to_owned(), n(count));
        item
    }

    /// How many are counted now (a pre-check before expensive work; the transaction that
    /// adds one decides).
    pub async fn count(self, table: &Table, owner: &str) -> Result<u64, StoreError> {
        Ok(table
            .get(&self.pk(owner), keys::COUNTS_SK)
            .await?
            .and_then(|item| {
                item.get(self.attribute())
                    .and_then(|v| v.as_n().ok())
                    .and_then(|v| v.parse().ok())
            })
            .unwrap_or(0))
    }

    /// The cap now (read through the settings' cache of `table`).
    pub async fn max(self, table: &Table) -> Result<u64, ApiError> {
        Ok(Settings::new(table.clone()).get(self.setting()).await?)
    }

    /// The cap, after checking there is room under it before expensive work (the
    /// transaction that adds one decides): a 422 when there is none.
    pub async fn room(self, table: &Table, owner: &str) -> Result<u64, ApiError> {
        let max = self.max(table).await?;
        if self.count(table, owner).await? >= max {
            return Err(self.reached(max));
        }
        Ok(max)
    }

    /// The API error of a transaction that counted one more against `max`.
    pub fn refusal(self, max: u64) -> impl Fn(StoreError) -> ApiError {
        move |error| {
            if error.refused(CAP_REACHED) {
                self.reached(max)
            } else {
                error.into()
            }
        }
    }

    /// The 422 for a refused [`one_more`](Self::one_more).
    pub fn reached(self, max: u64) -> ApiError {
        ApiError::LimitReached(match self {
            Cap::ScriptsOwned => format!(
                "you own {max} scripts, the most one user may (MAX_SCRIPTS_PER_USER); delete one first"
            ),
            Cap::Versions => format!(
                "the script has {max} versions, the most one script may keep (MAX_VERSIONS_PER_SCRIPT)"
            ),
            Cap::Elements => format!(
                "a script may hold {max} elements (MAX_ELEMENTS_PER_SCRIPT); remove some, or split the script"
            ),
        })
    }
}
