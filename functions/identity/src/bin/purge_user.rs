//! Lambda function `purge_user`, generated from `FUNCTIONS` by `cargo run -p fountain-registry`.

fountain_runtime::lambda_main!(fountain_identity::FUNCTIONS);
