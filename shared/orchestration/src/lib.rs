//! Orchestration files from a story's timeline: a leitmotif per character, as LilyPond, MIDI and Csound describing the same notes.
