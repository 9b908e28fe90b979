//! Lambda function `list_paraphrases`, generated from `FUNCTIONS` by `cargo run -p fountain-registry`.

fountain_runtime::lambda_main!(fountain_paraphrases::FUNCTIONS);
