//! A user's notifications inbox: generation outcomes and limits, listed and marked read.
