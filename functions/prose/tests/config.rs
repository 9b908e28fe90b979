//! Configuration from the environment: offline by default, openai only when complete.

#![allow(clippy::unwrap_used)]

use std::time::Duration;

use fountain_prose::{
    ConfigError, DEFAULT_PART_BUDGET, Env, Generator, ProseConfig, Provider, ProviderConfig,
};

const KEY: &str = "sk-live-secret-9876";

fn openai_env() -> Env {
    Env::default()
        .with("GENERATOR", "openai")
        .with("GENERATOR_URL", "https://api.example.com/v1/")
        .with("GENERATOR_API_KEY", KEY)
        .with("GENERATOR_MODEL", "gpt-test")
}

fn invalid_name(result: Result<ProseConfig, ConfigError>) -> String {
    match result {
        Err(ConfigError::Invalid { name, .. }) => name,
        other => panic!("expected an invalid variable, got {other:?}"),
    }
}

#[test]
fn the_default_is_offline() {
    let config = ProseConfig::from_env(&Env::default()).unwrap();
    assert_eq!(config.provider, ProviderConfig::Offline);
    assert_eq!(config.part_budget, DEFAULT_PART_BUDGET);
    let provider =
        Provider::from_config(&config.provider, &aws_config::SdkConfig::builder().build()).unwrap();
    assert_eq!(provider.name(), "offline");

    let explicit = Env::default().with("GENERATOR", "offline");
    assert_eq!(ProseConfig::from_env(&explicit).unwrap(), config);
}

#[test]
fn openai_is_configured_from_its_variables() {
    let env = openai_env()
        .with("GENERATOR_TIMEOUT_SECS", "15")
        .with("GENERATOR_PART_CHARS", "4000");
    let config = ProseConfig::from_env(&env).unwrap();
    let ProviderConfig::OpenAi(openai) = &config.provider else {
        panic!("expected openai, got {config:?}");
    };
    assert_eq!(openai.base_url, "https://api.example.com/v1");
    assert_eq!(openai.model, "gpt-test");
    assert_eq!(openai.timeout, Duration::from_secs(15));
    assert_eq!(config.part_budget, 4000);
    assert_eq!(
        Provider::from_config(&config.provider, &aws_config::SdkConfig::builder().build())
            .unwrap()
            .name(),
        "openai"
    );
}

#[test]
fn openai_without_url_key_or_model_is_an_error() {
    for missing in ["GENERATOR_URL", "GENERATOR_MODEL"] {
        let env = openai_env().with(missing, "");
        assert_eq!(
            ProseConfig::from_env(&env),
            Err(ConfigError::Missing(missing.into()))
        );
    }
    // Neither the key nor its secret: the secret is what is missing.
    assert_eq!(
        ProseConfig::from_env(&openai_env().with("GENERATOR_API_KEY", "")),
        Err(ConfigError::Missing("GENERATOR_API_KEY_SECRET".into()))
    );
}

#[test]
fn malformed_values_name_their_variable() {
    let cases = [
        ("GENERATOR", "gpt"),
        ("GENERATOR_URL", "not a url"),
        ("GENERATOR_URL", "ftp://api.example.com"),
        ("GENERATOR_URL", "https://user:pass@api.example.com/v1"),
        ("GENERATOR_API_KEY", "two words"),
        ("GENERATOR_TIMEOUT_SECS", "soon"),
        ("GENERATOR_TIMEOUT_SECS", "0"),
        ("GENERATOR_PART_CHARS", "0"),
    ];
    for (name, value) in cases {
        let error = ProseConfig::from_env(&openai_env().with(name, value));
        assert_eq!(invalid_name(error), name, "{name}={value}");
    }
}

#[test]
fn errors_and_debug_never_show_the_key() {
    let config = ProseConfig::from_env(&openai_env()).unwrap();
    let provider =
        Provider::from_config(&config.provider, &aws_config::SdkConfig::builder().build()).unwrap();
    for shown in [format!("{config:?}"), format!("{provider:?}")] {
        assert!(!shown.contains(KEY), "{shown}");
    }
    let bad_key = format!("{KEY}\n");
    let error =
        ProseConfig::from_env(&openai_env().with("GENERATOR_API_KEY", bad_key)).unwrap_err();
    assert!(!error.to_string().contains(KEY), "{error}");
}

/// As in AWS: the key in Secrets Manager, the function named by Lambda.
fn aws_env() -> Env {
    openai_env()
        .with("GENERATOR_API_KEY", "")
        .with(
            "GENERATOR_API_KEY_SECRET",
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:fountain-GeneratorApiKeySecret",
        )
        .with("AWS_LAMBDA_FUNCTION_NAME", "fountain-generate_stories")
}

#[test]
fn in_aws_the_generator_is_reached_over_https_only() {
    let plain = |url: &str| openai_env().with("GENERATOR_URL", url);
    // The local stack (no AWS_LAMBDA_FUNCTION_NAME) may use a local http fake.
    assert!(ProseConfig::from_env(&plain("http://127.0.0.1:8080/v1")).is_ok());
    assert_eq!(
        invalid_name(ProseConfig::from_env(
            &aws_env().with("GENERATOR_URL", "http://api.example.com/v1")
        )),
        "GENERATOR_URL"
    );
    assert!(ProseConfig::from_env(&aws_env()).is_ok());
    let backup = aws_env()
        .with("GENERATOR_BACKUP_URL", "http://backup.example.com/v1")
        .with("GENERATOR_BACKUP_API_KEY_SECRET", "arn:backup")
        .with("GENERATOR_BACKUP_MODEL", "gpt-test");
    assert_eq!(
        invalid_name(ProseConfig::from_env(&backup)),
        "GENERATOR_BACKUP_URL"
    );
}

#[test]
fn in_aws_the_key_comes_from_secrets_manager_never_from_the_environment() {
    let config = ProseConfig::from_env(&aws_env()).unwrap();
    let ProviderConfig::OpenAi(openai) = &config.provider else {
        panic!("expected openai, got {config:?}");
    };
    assert!(
        matches!(&openai.api_key, fountain_prose::KeySource::Secret(arn) if arn.ends_with("GeneratorApiKeySecret"))
    );
    assert_eq!(
        invalid_name(ProseConfig::from_env(
            &aws_env().with("GENERATOR_API_KEY", KEY)
        )),
        "GENERATOR_API_KEY"
    );
    let refused = format!(
        "{:?}",
        ProseConfig::from_env(&aws_env().with("GENERATOR_API_KEY", KEY))
    );
    assert!(!refused.contains(KEY), "the key is never quoted: {refused}");
}
