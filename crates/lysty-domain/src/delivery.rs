//! Delivery: the channels a letter can travel by, the outcomes a dispatcher records, the
//! reasons letters are held, the reference printed on a letter, and splitting a letter
//! into the parts an electronic letter service accepts.

use std::fmt;
use std::str::FromStr;

use crate::letter::{LetterId, LetterState};

/// How letters reach a facility.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Channel {
    /// Paper post.
    Post,
    /// A paid electronic letter service inside the prison system.
    Electronic,
    /// Handed over by a lawyer or a relative.
    Handover,
}

impl Channel {
    pub const ALL: [Channel; 3] = [Channel::Post, Channel::Electronic, Channel::Handover];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Post => "post",
            Channel::Electronic => "electronic",
            Channel::Handover => "handover",
        }
    }

    /// Whether the original text may travel beside the Russian one. The electronic
    /// services pass only what the censor reads, in Russian; paper and hand-over carry both.
    pub fn carries_original(self) -> bool {
        !matches!(self, Channel::Electronic)
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Channel {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Channel::ALL
            .into_iter()
            .find(|c| c.as_str() == s.trim())
            .ok_or(UnknownValue)
    }
}

/// A set of channels, kept as a comma-separated list in storage.
pub fn parse_channels(raw: &str) -> Result<Vec<Channel>, UnknownValue> {
    let mut channels = raw
        .split([',', ' ', ';'])
        .filter(|s| !s.trim().is_empty())
        .map(str::parse)
        .collect::<Result<Vec<Channel>, _>>()?;
    channels.sort();
    channels.dedup();
    Ok(channels)
}

pub fn channels_to_string(channels: &[Channel]) -> String {
    channels
        .iter()
        .map(|c| c.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("unknown value")]
pub struct UnknownValue;

/// What became of a sent letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    Delivered,
    /// The censor or the facility refused it.
    Withheld,
    /// The post brought it back.
    Returned,
    /// It cannot reach the person now; it goes to the letter bank.
    Undeliverable,
}

impl Outcome {
    pub const ALL: [Outcome; 4] = [
        Outcome::Delivered,
        Outcome::Withheld,
        Outcome::Returned,
        Outcome::Undeliverable,
    ];

    pub fn as_str(self) -> &'static str {
        self.state().as_str()
    }

    pub fn state(self) -> LetterState {
        match self {
            Outcome::Delivered => LetterState::Delivered,
            Outcome::Withheld => LetterState::Withheld,
            Outcome::Returned => LetterState::Returned,
            Outcome::Undeliverable => LetterState::Undeliverable,
        }
    }
}

impl FromStr for Outcome {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Outcome::ALL
            .into_iter()
            .find(|o| o.as_str() == s.trim())
            .ok_or(UnknownValue)
    }
}

/// Why letters not yet sent are held back from batches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HoldReason {
    Transferred,
    Released,
    Exchanged,
    Deceased,
}

impl HoldReason {
    pub const ALL: [HoldReason; 4] = [
        HoldReason::Transferred,
        HoldReason::Released,
        HoldReason::Exchanged,
        HoldReason::Deceased,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            HoldReason::Transferred => "transferred",
            HoldReason::Released => "released",
            HoldReason::Exchanged => "exchanged",
            HoldReason::Deceased => "deceased",
        }
    }

    /// The hold a change of status brings, if any.
    pub fn for_status(status: crate::PrisonerStatus) -> Option<HoldReason> {
        use crate::PrisonerStatus as S;
        match status {
            S::Released => Some(HoldReason::Released),
            S::Exchanged => Some(HoldReason::Exchanged),
            S::Deceased => Some(HoldReason::Deceased),
            _ => None,
        }
    }
}

impl FromStr for HoldReason {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        HoldReason::ALL
            .into_iter()
            .find(|o| o.as_str() == s.trim())
            .ok_or(UnknownValue)
    }
}

/// The short code printed on a letter's pages so that an outcome can be matched to it.
/// It comes from the random tail of the letter's id: it says nothing about the writer
/// and is not the writer's tracking code, which stays a secret between them and us.
pub fn reference(id: LetterId) -> String {
    let simple = id.0.simple().to_string().to_uppercase();
    let tail = &simple[simple.len() - 8..];
    format!("L-{}-{}", &tail[..4], &tail[4..])
}

/// Whether a reference as someone typed it (any case, with or without the dashes and
/// the leading "L") names this letter.
pub fn matches_reference(id: LetterId, typed: &str) -> bool {
    let typed: String = typed
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_uppercase();
    let typed = match typed.strip_prefix('L') {
        Some(rest) if rest.len() == 8 => rest,
        _ => typed.as_str(),
    };
    reference(id).replace('-', "").strip_prefix('L') == Some(typed)
}

/// Splits a letter for an electronic service that takes at most `limit` characters per
/// message. Parts break at paragraph, then sentence, then word boundaries, and each part
/// starts with "(n/N) " so the reader can put them back in order; the marker counts
/// toward the limit. With `numbered == false` the service takes one message only, and a
/// longer text is refused.
pub fn split_for_channel(text: &str, limit: usize, numbered: bool) -> Result<Vec<String>, TooLong> {
    let text = text.trim();
    let total = text.chars().count();
    if total <= limit {
        return Ok(vec![text.to_owned()]);
    }
    if !numbered {
        return Err(TooLong {
            limit,
            actual: total,
        });
    }
    // The marker's width depends on the number of parts; try growing widths until the
    // parts fit their marker (at most a few rounds).
    let mut parts_guess = total.div_ceil(limit.max(1)).max(2);
    for _ in 0..6 {
        let marker = format!("({parts_guess}/{parts_guess}) ").chars().count();
        if limit <= marker + 10 {
            return Err(TooLong {
                limit,
                actual: total,
            });
        }
        let chunks = chunk(text, limit - marker);
        if chunks.len().to_string().len() <= parts_guess.to_string().len() {
            let n = chunks.len();
            return Ok(chunks
                .into_iter()
                .enumerate()
                .map(|(i, c)| format!("({}/{n}) {c}", i + 1))
                .collect());
        }
        parts_guess = chunks.len();
    }
    Err(TooLong {
        limit,
        actual: total,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the letter is {actual} characters long; the channel takes {limit}")]
pub struct TooLong {
    pub limit: usize,
    pub actual: usize,
}

fn chunk(text: &str, width: usize) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut parts = Vec::new();
    let mut start = 0;
    while start < chars.len() {
        let rest = chars.len() - start;
        if rest <= width {
            parts.push(chars[start..].iter().collect::<String>().trim().to_owned());
            break;
        }
        let window = &chars[start..start + width];
        let cut = best_cut(window).unwrap_or(width);
        parts.push(
            chars[start..start + cut]
                .iter()
                .collect::<String>()
                .trim()
                .to_owned(),
        );
        start += cut;
        while start < chars.len() && chars[start].is_whitespace() {
            start += 1;
        }
    }
    parts.retain(|p| !p.is_empty());
    parts
}

/// Where to end a part: after a paragraph, else after a sentence, else at a space, as
/// long as the part keeps at least half the window; else at any space; a word longer
/// than the window is cut.
fn best_cut(window: &[char]) -> Option<usize> {
    let half = window.len() / 2;
    let last = |pred: &dyn Fn(usize) -> bool| (half..window.len()).rev().find(|&i| pred(i));
    last(&|i| window[i] == '\n' && i > 0 && window[i - 1] == '\n')
        .or_else(|| {
            last(&|i| {
                window[i].is_whitespace() && i > 0 && matches!(window[i - 1], '.' | '!' | '?' | '…')
            })
        })
        .or_else(|| last(&|i| window[i].is_whitespace()))
        .or_else(|| (1..half).rev().find(|&i| window[i].is_whitespace()))
        .map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn channels_parse_from_a_list_and_refuse_unknown_ones() {
        assert_eq!(
            parse_channels("post, electronic,post").unwrap(),
            vec![Channel::Post, Channel::Electronic]
        );
        assert!(parse_channels("pigeon").is_err());
        assert_eq!(
            channels_to_string(&[Channel::Post, Channel::Handover]),
            "post,handover"
        );
    }

    #[test]
    fn a_reference_is_short_stable_and_matches_its_letter() {
        let id = LetterId::new();
        let r = reference(id);
        assert_eq!(r.len(), 11);
        assert_eq!(r, reference(id));
        assert!(matches_reference(id, &r));
        assert!(matches_reference(id, &r.to_lowercase()));
        assert!(!matches_reference(LetterId::new(), &r));
    }

    #[test]
    fn a_short_letter_is_one_part_without_a_marker() {
        assert_eq!(
            split_for_channel("Привіт!", 100, true).unwrap(),
            vec!["Привіт!"]
        );
    }

    #[test]
    fn a_long_letter_is_split_at_sentences_with_numbered_parts() {
        let text = "Первое предложение здесь. Второе предложение тоже. Третье и последнее.";
        let parts = split_for_channel(text, 40, true).unwrap();
        assert!(parts.len() >= 2);
        assert!(parts[0].starts_with(&format!("(1/{}) ", parts.len())));
        assert!(parts[0].ends_with('.'), "{parts:?}");
    }

    #[test]
    fn a_channel_without_parts_refuses_a_long_letter() {
        let err = split_for_channel(&"а".repeat(50), 40, false).unwrap_err();
        assert_eq!(
            err,
            TooLong {
                limit: 40,
                actual: 50
            }
        );
    }

    proptest! {
        #[test]
        fn parts_fit_the_limit_and_keep_every_word(
            words in proptest::collection::vec("[а-яa-z]{1,12}[.!]?", 1..200),
            limit in 30usize..400,
        ) {
            let text = words.join(" ");
            let parts = split_for_channel(&text, limit, true).unwrap();
            for p in &parts {
                prop_assert!(p.chars().count() <= limit, "{} > {limit}", p.chars().count());
            }
            let joined: Vec<String> = parts
                .iter()
                .map(|p| if parts.len() > 1 { p.split_once(") ").unwrap().1.to_owned() } else { p.clone() })
                .collect();
            let rejoined = joined.join(" ");
            prop_assert_eq!(rejoined.split_whitespace().collect::<Vec<_>>(), text.split_whitespace().collect::<Vec<_>>());
        }
    }
}
