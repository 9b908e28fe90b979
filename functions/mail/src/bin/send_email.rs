//! Lambda function `send_email`, generated from `FUNCTIONS` by `cargo run -p fountain-registry`.

fountain_runtime::lambda_main!(fountain_mail::FUNCTIONS);
