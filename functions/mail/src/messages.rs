//! Every email the product sends, with its wording: plain text, short, one action each. The
//! token rides in the link's fragment (`#token=`), which browsers never send to a server, so
//! it stays out of the web front end's access logs too.

use chrono::{DateTime, Utc};

/// One email, ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub to: String,
    pub subject: String,
    pub text: String,
}

const SIGNATURE: &str = "-- FountainAI";

fn link(app_url: &str, page: &str, token: &str) -> String {
    format!("{app_url}/{page}#token={token}")
}

/// To a new account, and to one that asked again: verify the address.
pub fn verify_email(to: &str, app_url: &str, token: &str) -> Message {
    Message {
        to: to.to_owned(),
        subject: "Verify your email address".into(),
        text: format!(
            "Open this link to verify the email address of your FountainAI account:\n\n\
             {}\n\n\
             It works once, for 24 hours. If you did not register, ignore this email.\n\n{SIGNATURE}\n",
            link(app_url, "verify-email", token)
        ),
    }
}

/// To an account whose address someone tried to register again.
pub fn registration_repeated(to: &str, app_url: &str) -> Message {
    Message {
        to: to.to_owned(),
        subject: "Someone tried to register your email address".into(),
        text: format!(
            "Someone tried to register a FountainAI account with this email address, which has \
             an account already.\n\n\
             If it was you, sign in instead; if you forgot the password, reset it at \
             {app_url}/forgot-password. If it was not you, nothing changed and you need do \
             nothing.\n\n{SIGNATURE}\n"
        ),
    }
}

/// To an account that asked to reset its password.
pub fn password_reset(to: &str, app_url: &str, token: &str) -> Message {
    Message {
        to: to.to_owned(),
        subject: "Reset your password".into(),
        text: format!(
            "Open this link to choose a new password for your FountainAI account:\n\n\
             {}\n\n\
             It works once, for 30 minutes, and signs you out everywhere. If you did not ask \
             for this, ignore this email: your password stays as it is.\n\n{SIGNATURE}\n",
            link(app_url, "reset-password", token)
        ),
    }
}

/// To an invitee.
pub fn invitation(
    to: &str,
    app_url: &str,
    token: &str,
    script_title: &str,
    role: &str,
    expires_at: DateTime<Utc>,
) -> Message {
    Message {
        to: to.to_owned(),
        subject: format!("You are invited to co-write \"{script_title}\""),
        text: format!(
            "You are invited to join the script \"{script_title}\" on FountainAI as {article} {role}.\n\n\
             Accept, signed in with this email address (verified), here:\n\n\
             {}\n\n\
             The invitation works once and expires on {}.\n\n{SIGNATURE}\n",
            link(app_url, "invitations/accept", token),
            expires_at.format("%Y-%m-%d %H:%M UTC"),
            article = if role.starts_with(['a', 'e', 'i', 'o', 'u']) {
                "an"
            } else {
                "a"
            },
        ),
    }
}

/// The token in a message's link (for the tests, which read what was sent).
pub fn token_in(text: &str) -> Option<&str> {
    let (_, rest) = text.split_once("#token=")?;
    rest.split_whitespace().next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_message_names_its_action_and_carries_its_token_only_in_the_fragment() {
        let verify = verify_email("a@example.org", "https://app.example", "TOKEN1");
        assert_eq!(verify.to, "a@example.org");
        assert!(
            verify
                .text
                .contains("https://app.example/verify-email#token=TOKEN1\n")
        );
        assert_eq!(token_in(&verify.text), Some("TOKEN1"));
        assert!(verify.text.contains("24 hours"));

        let reset = password_reset("a@example.org", "https://app.example", "TOKEN2");
        assert_eq!(token_in(&reset.text), Some("TOKEN2"));
        assert!(reset.text.contains("30 minutes"));

        let repeated = registration_repeated("a@example.org", "https://app.example");
        assert_eq!(
            token_in(&repeated.text),
            None,
            "no token: nothing to act on"
        );

        let invited = invitation(
            "b@example.org",
            "https://app.example",
            "TOKEN3",
            "Night Train",
            "editor",
            DateTime::from_timestamp(1_800_000_000, 0).unwrap_or_default(),
        );
        assert_eq!(
            invited.subject,
            "You are invited to co-write \"Night Train\""
        );
        assert!(invited.text.contains("as an editor."));
        assert!(invited.text.contains("expires on 2027-01-15 08:00 UTC"));
        assert_eq!(token_in(&invited.text), Some("TOKEN3"));
    }
}
