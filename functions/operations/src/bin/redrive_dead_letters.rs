//! Lambda function `redrive_dead_letters`, generated from `FUNCTIONS` by `cargo run -p fountain-registry`.

fountain_runtime::lambda_main!(fountain_operations::FUNCTIONS);
