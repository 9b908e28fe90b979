//! Lambda function `remove_member`, generated from `FUNCTIONS` by `cargo run -p fountain-registry`.

fountain_runtime::lambda_main!(fountain_collaboration::FUNCTIONS);
