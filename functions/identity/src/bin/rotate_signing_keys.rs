//! Lambda function `rotate_signing_keys`, generated from `FUNCTIONS` by `cargo run -p fountain-registry`.

fountain_runtime::lambda_main!(fountain_identity::FUNCTIONS);
