/// What a transaction's condition protects ("access lost", "name taken", ...), reported when
/// it fails. Callers match a refused transaction on these, never on a write's position, so
/// adding a check to a transaction cannot change which error another check gives.
///
/// Each context names its own labels as constants next to the conditions they label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Label(&'static str);

impl Label {
    pub const fn new(meaning: &'static str) -> Self {
        Self(meaning)
    }

    pub const fn meaning(self) -> &'static str {
        self.0
    }

    /// An item created under a fresh id already exists (a retried or duplicated create).
    pub const ID_TAKEN: Label = Label::new("id already taken");

    /// The outbox already holds this event (its id is taken): the change was made before.
    pub const EVENT_RECORDED: Label = Label::new("event already recorded");
}

impl std::fmt::Display for Label {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

/// A labelled condition of one write in a transaction (see [`crate::Expression::labelled`]).
#[derive(Debug, Clone)]
pub struct Condition {
    pub(crate) label: Label,
    pub(crate) expression: crate::Expression,
}

impl Condition {
    pub fn label(&self) -> Label {
        self.label
    }

    pub fn expression(&self) -> &crate::Expression {
        &self.expression
    }
}
