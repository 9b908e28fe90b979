//! Lambda function `relay`, generated from `FUNCTIONS` by `cargo run -p fountain-registry`.

fountain_runtime::lambda_main!(fountain_event_store::FUNCTIONS);
