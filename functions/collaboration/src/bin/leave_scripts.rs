//! Lambda function `leave_scripts`, generated from `FUNCTIONS` by `cargo run -p fountain-registry`.

fountain_runtime::lambda_main!(fountain_collaboration::FUNCTIONS);
