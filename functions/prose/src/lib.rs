//! Prose generators for the Story Factory: the Generator trait, a deterministic offline writer and an OpenAI-compatible provider.
