//! Lambda function `store_event`, generated from `FUNCTIONS` by `cargo run -p fountain-registry`.

fountain_runtime::lambda_main!(fountain_event_store::FUNCTIONS);
