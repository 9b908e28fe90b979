use thiserror::Error;

/// Why a text is not read as a screenplay. Fountain is lenient by design (anything that is
/// not recognised is action), so the only failure is one where no reading keeps the
/// writer's intent: a boneyard that never closes would swallow the rest of the script.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ParseError {
    #[error("line {line}: the boneyard opened with /* is never closed with */")]
    UnterminatedBoneyard { line: usize },
}

impl ParseError {
    /// The 1-based source line the error points at, for "line N" messages.
    pub fn line(&self) -> usize {
        match self {
            ParseError::UnterminatedBoneyard { line } => *line,
        }
    }
}
