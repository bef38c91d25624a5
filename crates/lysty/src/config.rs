//! Configuration, layered: built-in defaults, then a TOML file (`--config`, `LYSTY_CONFIG`
//! or `./lysty.toml` when present), then `LYSTY_…` environment variables (sections split
//! by a double underscore: `LYSTY_DATABASE__URL`), then command-line flags.
//! Secrets are masked in `Debug` output and never printed.

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub server: ServerConfig,
    pub database: DatabaseConfig,
    pub letters: LettersConfig,
    pub limits: LimitsConfig,
    pub events: EventsConfig,
    pub secrets: SecretsConfig,
    pub campaign: CampaignConfig,
    /// The app's own settings type: one definition, one default.
    pub delivery: lysty_app::DeliveryConfig,
    pub mail: MailConfig,
    pub retention: RetentionConfig,
    pub log: LogConfig,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerConfig {
    pub addr: SocketAddr,
    /// The address people reach the site at, for links shown to them.
    pub public_url: Option<String>,
    pub max_request_bytes: usize,
    /// Mark cookies `Secure` (`__Host-` names). Defaults to on when `public_url` is
    /// https; a site served over plain HTTP (local use) cannot keep `Secure` cookies.
    pub secure_cookies: Option<bool>,
    /// Milliseconds the public figures (home page, `/stats`) are served from memory
    /// before one page view rebuilds them from the counters.
    pub figures_max_age_ms: u64,
    /// Addresses or networks of the reverse proxies in front (`10.0.0.0/8`, `::1`):
    /// only their `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// The bearer token for `/metrics` (Prometheus); without one it is not served.
    pub metrics_token: Option<String>,
    /// Milliseconds a client has to send a request's headers; then the connection closes.
    pub header_read_timeout_ms: u64,
    /// A second address serving `/metrics` alone, without a token (the loopback or a
    /// private network only the scraper reaches).
    pub metrics_addr: Option<SocketAddr>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            public_url: None,
            max_request_bytes: 256 * 1024,
            secure_cookies: None,
            figures_max_age_ms: 1000,
            trusted_proxies: Vec::new(),
            metrics_token: None,
            header_read_timeout_ms: 10_000,
            metrics_addr: None,
        }
    }
}

#[derive(Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseConfig {
    /// `sqlite://PATH` or `postgres://USER@HOST/DB`.
    pub url: String,
    /// `full` (every commit durable) or `normal` (faster; may lose the last commits on
    /// power loss). SQLite only.
    pub sqlite_synchronous: String,
    pub max_connections: u32,
    /// Start even when the settings read back from the database are unsafe (SQLite not
    /// in WAL or below the chosen durability, `secure_delete` off; PostgreSQL with
    /// `fsync`, `synchronous_commit` or `full_page_writes` off).
    pub allow_unsafe: bool,
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        DatabaseConfig {
            url: "sqlite://lysty.db".into(),
            sqlite_synchronous: "full".into(),
            max_connections: 16,
            allow_unsafe: false,
        }
    }
}

/// The URL with any password replaced, for logs and `Debug`.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}://{user}:***{}", &url[..scheme_end], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

impl fmt::Debug for DatabaseConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DatabaseConfig")
            .field("url", &redact_url(&self.url))
            .field("sqlite_synchronous", &self.sqlite_synchronous)
            .field("max_connections", &self.max_connections)
            .field("allow_unsafe", &self.allow_unsafe)
            .finish()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LettersConfig {
    /// The longest letter accepted, in characters.
    pub max_chars: usize,
    /// Approved letters a city or country needs before the public figures name it.
    pub public_place_min_letters: u32,
}

impl Default for LettersConfig {
    fn default() -> Self {
        LettersConfig {
            max_chars: lysty_domain::LetterBody::DEFAULT_MAX_CHARS,
            public_place_min_letters: lysty_app::DEFAULT_PUBLIC_PLACE_MIN_LETTERS as u32,
        }
    }
}

/// Limits on the public side, per client address (in memory only, never stored or logged).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LimitsConfig {
    /// Off turns every limit off: for load benchmarks only.
    pub enabled: bool,
    pub letters_per_hour: u32,
    pub kiosk_letters_per_minute: u32,
    pub letters_per_second: u32,
    pub lookups_per_minute: u32,
    pub duplicate_window_minutes: u32,
    /// Ask every letter from the form and the API for a proof of work (not the kiosk).
    pub proof_of_work: bool,
    pub proof_of_work_difficulty: u32,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        let d = lysty_http::limits::LimitsConfig::default();
        LimitsConfig {
            enabled: d.enabled,
            letters_per_hour: d.letters_per_hour,
            kiosk_letters_per_minute: d.kiosk_letters_per_minute,
            letters_per_second: d.letters_per_second,
            lookups_per_minute: d.lookups_per_minute,
            duplicate_window_minutes: u32::try_from(d.duplicate_window.as_secs() / 60)
                .unwrap_or(60),
            proof_of_work: d.proof_of_work.enabled,
            proof_of_work_difficulty: d.proof_of_work.difficulty,
        }
    }
}

impl LimitsConfig {
    pub fn to_http(&self) -> lysty_http::limits::LimitsConfig {
        lysty_http::limits::LimitsConfig {
            enabled: self.enabled,
            letters_per_hour: self.letters_per_hour,
            kiosk_letters_per_minute: self.kiosk_letters_per_minute,
            letters_per_second: self.letters_per_second,
            lookups_per_minute: self.lookups_per_minute,
            duplicate_window: std::time::Duration::from_secs(
                u64::from(self.duplicate_window_minutes) * 60,
            ),
            proof_of_work: lysty_http::proof::ProofConfig {
                enabled: self.proof_of_work,
                difficulty: self.proof_of_work_difficulty,
            },
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EventsConfig {
    /// Hours after an event ends during which its kiosk still takes letters.
    pub kiosk_grace_hours: u32,
}

impl Default for EventsConfig {
    fn default() -> Self {
        EventsConfig {
            kiosk_grace_hours: 48,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SecretsConfig {
    /// The key that encrypts writers' emails: 32 bytes, base64. When unset, the key is
    /// read from `email_key_file`, which `serve` creates on first start.
    #[serde(skip_serializing)]
    pub email_key: Option<SecretString>,
    pub email_key_file: PathBuf,
}

impl Default for SecretsConfig {
    fn default() -> Self {
        SecretsConfig {
            email_key: None,
            email_key_file: PathBuf::from("lysty.key"),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CampaignConfig {
    pub slug: String,
    pub name_uk: String,
    pub name_en: String,
    /// The time zone staff read and type times in (an IANA name, e.g. `Europe/Kyiv`).
    pub time_zone: chrono_tz::Tz,
    /// Where writers and the press reach the campaign (an email address or a web page),
    /// shown on the "about" and privacy pages.
    pub contact: Option<String>,
}

impl Default for CampaignConfig {
    fn default() -> Self {
        let c = lysty_app::default_campaign();
        CampaignConfig {
            slug: c.slug,
            name_uk: c.name_uk,
            name_en: c.name_en,
            time_zone: lysty_app::DEFAULT_TIME_ZONE,
            contact: None,
        }
    }
}

#[derive(Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MailConfig {
    /// smtp://HOST:PORT, smtp://USER:PASSWORD@HOST:587?tls=required or smtps://HOST:465.
    /// Unset: emails wait in the outbox until it is set.
    #[serde(skip_serializing)]
    pub smtp_url: Option<String>,
    pub from: String,
    /// Seconds between looks at the outbox (emails also go out at once when queued).
    pub poll_seconds: u64,
}

impl Default for MailConfig {
    fn default() -> Self {
        MailConfig {
            smtp_url: None,
            from: "Lysty <letters@localhost>".into(),
            poll_seconds: 30,
        }
    }
}

impl std::fmt::Debug for MailConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailConfig")
            .field("smtp_url", &self.smtp_url.as_deref().map(redact_url))
            .field("from", &self.from)
            .field("poll_seconds", &self.poll_seconds)
            .finish()
    }
}

/// How long writers' data is kept once their letters are settled.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RetentionConfig {
    /// Days after a letter reached its final state before its writer's name, email, city
    /// and country are erased; unset keeps them as long as the letter.
    pub days: Option<u32>,
    /// Keep the letters' texts when the writers' data is erased (otherwise they go too).
    pub keep_text: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogConfig {
    /// A tracing filter, e.g. `info` or `lysty=debug,info`. `RUST_LOG` wins when set.
    pub filter: String,
    /// `text` (for people) or `json` (one object per line, for a log collector).
    pub format: LogFormat,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

impl Default for LogConfig {
    fn default() -> Self {
        LogConfig {
            filter: "info,sqlx=warn".into(),
            format: LogFormat::Text,
        }
    }
}

/// Loads the layers below the command-line flags.
pub fn load(explicit_file: Option<&Path>) -> Result<Config, Box<figment::Error>> {
    let mut figment = Figment::from(Serialized::defaults(Config::default()));
    let file = explicit_file
        .map(Path::to_path_buf)
        .or_else(|| std::env::var_os("LYSTY_CONFIG").map(PathBuf::from))
        .or_else(|| {
            let default = PathBuf::from("lysty.toml");
            default.exists().then_some(default)
        });
    if let Some(file) = file {
        if !file.exists() {
            return Err(Box::new(figment::Error::from(format!(
                "the configuration file {} does not exist",
                file.display()
            ))));
        }
        figment = figment.merge(Toml::file(file));
    }
    figment
        // Only SECTION__KEY variables: others (LYSTY_CONFIG, LYSTY_TEST_POSTGRES…) are not settings.
        .merge(
            Env::prefixed("LYSTY_")
                .filter(|key| key.as_str().contains("__"))
                .split("__"),
        )
        .extract()
        .map_err(Box::new)
}

/// The commented example printed by `lysty default-config`.
pub const EXAMPLE: &str = r#"# Lysty configuration. Every setting is optional; these are the defaults.
# Layers, later ones winning: these defaults, this file (--config FILE, LYSTY_CONFIG,
# or ./lysty.toml), environment variables (LYSTY_SECTION__KEY, e.g.
# LYSTY_DATABASE__URL), then command-line flags.

[server]
# Where to listen. Put a TLS-terminating reverse proxy in front of it in production.
addr = "127.0.0.1:8080"
# The address people reach the site at, used in links shown to writers.
# public_url = "https://letters.example.org"
# Largest request body accepted, in bytes; larger requests get a clear 413.
max_request_bytes = 262144
# Staff cookies are Secure (and __Host-) when public_url is https. Set it to force.
# secure_cookies = true
# Milliseconds the public figures (home page, /stats) are kept in memory: at a campaign's
# peak, one rebuild from the counters per period instead of one per page view.
figures_max_age_ms = 1000
# Reverse proxies in front of Lysty (addresses or networks): only their X-Forwarded-For is
# believed for limits and sign-in throttling. Empty: the connecting address counts.
trusted_proxies = []
# /metrics in Prometheus format, for a scraper that sends "Authorization: Bearer <token>".
# Not served without a token (or set LYSTY_SERVER__METRICS_TOKEN).
# metrics_token = "a long random string"
# Or serve /metrics alone, without a token, on an address only the scraper reaches.
# metrics_addr = "127.0.0.1:9464"
# Milliseconds a client has to send a request's headers before the connection is closed:
# a client trickling them a byte at a time cannot hold connections open.
header_read_timeout_ms = 10000

[database]
# sqlite://PATH (embedded, the default) or postgres://USER:PASSWORD@HOST/DB.
# A missing SQLite file is only created by `serve --create-database` (or `--demo`).
url = "sqlite://lysty.db"
# SQLite durability: "full" makes every acknowledged letter survive a power cut.
sqlite_synchronous = "full"
# Connections to keep open (PostgreSQL pool size; SQLite readers).
max_connections = 16
# At start the server reads back the database's durability settings and refuses unsafe
# ones (SQLite: WAL, synchronous, foreign_keys, secure_delete, trusted_schema; PostgreSQL:
# fsync, synchronous_commit, full_page_writes). Only set this if you accept losing letters.
allow_unsafe = false

[letters]
# The longest letter accepted, in characters.
max_chars = 8000
# A city or country is named in the public figures only once this many of its letters
# were approved by moderators; before that it counts among "other places", so that no
# writer is recognisable by a place they typed.
public_place_min_letters = 5

[limits]
# Limits per client address on the public side (in memory only; addresses are never
# stored or logged). Refusals answer 429 with Retry-After, in the writer's language.
# false turns them all off: for load benchmarks where one generator is one address.
enabled = true
# Letters one address may send per hour (form and API together; all at once is fine).
letters_per_hour = 20
# Letters one kiosk (by its link) may send per minute.
kiosk_letters_per_minute = 30
# Letters per second from everyone together.
letters_per_second = 50
# Tracking lookups per address per minute.
lookups_per_minute = 60
# Minutes during which the same text from the same address is refused as a duplicate.
duplicate_window_minutes = 60
# For a campaign under attack by automated letters: every letter from the form and the
# API must bring a proof of work that the writer's browser computes while they write
# (self-hosted, no third party; kiosks are exempt). The form then needs JavaScript.
proof_of_work = false
# The work asked: a browser tries up to this many keys of 1,000 PBKDF2 rounds each
# (2000: under a second on a laptop, one to three on an older phone).
proof_of_work_difficulty = 2000

[events]
# Hours after an event ends during which its kiosk still takes letters (devices that
# come back online late still deliver what they kept).
kiosk_grace_hours = 48

[secrets]
# The key that encrypts writers' email addresses: 32 random bytes in base64.
# Prefer the environment: LYSTY_SECRETS__EMAIL_KEY. Every instance sharing a database
# needs the same key. When unset, the key is read from email_key_file, which `serve`
# creates on first start; back that file up with the database.
# email_key = "…"
email_key_file = "lysty.key"

[campaign]
slug = "letters-to-free-crimea"
name_uk = "Листи до вільного Криму"
name_en = "Letters to Free Crimea"
# The time zone staff read and type times in (event start and end, claims): an IANA name.
time_zone = "Europe/Kyiv"
# Where writers and the press reach the campaign, shown on /about and /privacy.
# contact = "letters@example.org"

[delivery]
# At most this many letters per prisoner in any seven days, so that the censor is not
# flooded and every letter still gets its turn.
per_prisoner_per_week = 3
# At most this many letters in one batch.
batch_limit = 200
# Message length of an electronic letter service when a facility names none.
electronic_default_chars = 2000
# Where prisoners send replies, printed on the reply kit (in Russian, one line per line).
# return_address = """
# «Письма в свободный Крым»
# а/я 10, Киев, 01001, Украина"""

[mail]
# Emails to writers (only those who left an address and agreed). Prefer the environment
# for credentials: LYSTY_MAIL__SMTP_URL. Unset: emails wait in the outbox.
# smtp_url = "smtp://user:password@mail.example.org:587?tls=required"
from = "Lysty <letters@localhost>"
# Seconds between looks at the outbox; emails also go out at once when queued.
poll_seconds = 30

[retention]
# Days after a letter is settled (delivered, withheld, returned, undeliverable or rejected)
# before its writer's name, email, city and country are erased, by the server every hour or
# by `lysty retention`. Unset: kept as long as the letter. The campaign's figures stay whole.
# days = 365
# Keep the letters' texts then; false erases them too (with earlier versions and scans).
keep_text = false

[log]
# A tracing filter; RUST_LOG wins when set. Logs never contain letter text or personal data.
filter = "info,sqlx=warn"
# "text" for people, "json" for a log collector (one object per line, with each request's
# id, which the response carries in x-request-id). --log-format overrides it.
format = "text"
"#;

#[cfg(test)]
#[allow(
    clippy::result_large_err,
    reason = "figment's Jail API returns its own error type"
)]
mod tests {
    use super::*;

    #[test]
    fn the_example_is_the_defaults() {
        let parsed: Config = toml::from_str(EXAMPLE).unwrap();
        let defaults = Config::default();
        assert_eq!(parsed.server.addr, defaults.server.addr);
        assert_eq!(parsed.database.url, defaults.database.url);
        assert_eq!(parsed.letters.max_chars, defaults.letters.max_chars);
        assert_eq!(parsed.campaign.slug, defaults.campaign.slug);
        assert_eq!(
            parsed.secrets.email_key_file,
            defaults.secrets.email_key_file
        );
    }

    #[test]
    fn the_readmes_table_of_settings_agrees_with_the_defaults() {
        let readme = include_str!("../../../README.md");
        let defaults = toml::Value::try_from(Config::default()).unwrap();
        let table = readme
            .lines()
            .skip_while(|l| !l.starts_with("| setting |"))
            .skip(2)
            .take_while(|l| l.starts_with('|'));
        let mut rows = 0;
        for line in table {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let key = cells[1].split('`').nth(1).unwrap();
            let documented = cells[2].trim_matches('`');
            let value = key
                .split('.')
                .try_fold(&defaults, |value, part| value.get(part));
            match (documented, value) {
                ("unset", value) => assert!(value.is_none(), "{key} is set by default"),
                // Read from a file when not set (the email key): no default to compare.
                (from, _) if from.starts_with("from ") => {}
                (documented, Some(toml::Value::String(value))) => {
                    assert_eq!(value, documented, "{key}")
                }
                (documented, Some(value)) => assert_eq!(value.to_string(), documented, "{key}"),
                (_, None) => panic!("the README names {key}, which is not a setting"),
            }
            let (section, name) = key.rsplit_once('.').unwrap();
            let at = EXAMPLE.find(&format!("[{section}]")).unwrap();
            assert!(
                EXAMPLE[at..].contains(&format!("{name} =")),
                "`lysty default-config` shows {key}"
            );
            rows += 1;
        }
        assert!(rows >= 10, "{rows} rows read");
    }

    #[test]
    fn the_deployment_example_is_a_valid_configuration() {
        // deploy/lysty.toml, as docs/DEPLOY.md installs it: every key known, values typed.
        figment::Jail::expect_with(|jail| {
            jail.create_file("lysty.toml", include_str!("../../../deploy/lysty.toml"))?;
            let config = load(None).map_err(|e| e.to_string())?;
            assert_eq!(config.server.addr, SocketAddr::from(([127, 0, 0, 1], 8080)));
            assert_eq!(config.database.url, "sqlite:///var/lib/lysty/lysty.db");
            assert_eq!(
                config.server.metrics_addr,
                Some(SocketAddr::from(([127, 0, 0, 1], 9464)))
            );
            assert_eq!(config.server.trusted_proxies.len(), 2);
            assert_eq!(config.log.format, LogFormat::Json);
            Ok(())
        });
    }

    #[test]
    fn passwords_never_reach_debug_output() {
        let config = Config {
            database: DatabaseConfig {
                url: "postgres://lysty:hunter2@db/lysty".into(),
                ..DatabaseConfig::default()
            },
            secrets: SecretsConfig {
                email_key: Some(SecretString::from("c2VjcmV0LWtleQ==")),
                ..SecretsConfig::default()
            },
            ..Config::default()
        };
        let shown = format!("{config:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(!shown.contains("c2VjcmV0LWtleQ"), "{shown}");
        assert!(shown.contains("postgres://lysty:***@db/lysty"));
    }

    #[test]
    fn layers_apply_in_order() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "lysty.toml",
                "[letters]\nmax_chars = 500\n[database]\nurl = \"sqlite://file.db\"\n",
            )?;
            jail.set_env("LYSTY_DATABASE__URL", "sqlite://env.db");
            let config = load(None).map_err(|e| e.to_string())?;
            assert_eq!(config.letters.max_chars, 500);
            assert_eq!(config.database.url, "sqlite://env.db");
            assert_eq!(config.server.addr, ServerConfig::default().addr);
            Ok(())
        });
    }

    #[test]
    fn unknown_keys_are_refused() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("lysty.toml", "[letters]\nmax_chars = 500\ntypo = 1\n")?;
            assert!(load(None).is_err());
            Ok(())
        });
    }
}
