//! Lambda function `export_pdf`, generated from `FUNCTIONS` by `cargo run -p fountain-registry`.

fountain_runtime::lambda_main!(fountain_io::FUNCTIONS);
