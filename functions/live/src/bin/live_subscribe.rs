//! Lambda function `live_subscribe`, generated from `FUNCTIONS` by `cargo run -p fountain-registry`.

fountain_runtime::lambda_main!(fountain_live::FUNCTIONS);
