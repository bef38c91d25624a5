//! Staff: roles, and what each role may do.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::ParseError;

/// What a member of staff does. One person may hold several roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything, across organisations.
    Admin,
    /// Keeps the registry and events of their organisation, manages its staff.
    Coordinator,
    /// Works the review queue.
    Moderator,
    /// Turns letters into Russian.
    Translator,
    /// Builds batches and records delivery.
    Dispatcher,
    /// Reads, changes nothing.
    Viewer,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Admin,
        Role::Coordinator,
        Role::Moderator,
        Role::Translator,
        Role::Dispatcher,
        Role::Viewer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Coordinator => "coordinator",
            Role::Moderator => "moderator",
            Role::Translator => "translator",
            Role::Dispatcher => "dispatcher",
            Role::Viewer => "viewer",
        }
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

impl FromStr for Role {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s.trim())
            .ok_or(ParseError::Invalid)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A set of roles, stored as a comma-separated list (`moderator,translator`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Roles(u8);

impl Roles {
    pub fn none() -> Self {
        Roles(0)
    }

    pub fn of(roles: &[Role]) -> Self {
        Roles(roles.iter().fold(0, |acc, r| acc | r.bit()))
    }

    /// Parses `moderator, translator`; an empty list is refused (staff need a role).
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let mut roles = Roles::none();
        for part in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            roles.0 |= part.parse::<Role>()?.bit();
        }
        if roles.is_empty() {
            return Err(ParseError::Empty);
        }
        Ok(roles)
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn has(self, role: Role) -> bool {
        self.0 & role.bit() != 0
    }

    /// Whether any of `roles` is held; admins hold every role.
    pub fn any(self, roles: &[Role]) -> bool {
        self.has(Role::Admin) || roles.iter().any(|r| self.has(*r))
    }

    pub fn iter(self) -> impl Iterator<Item = Role> {
        Role::ALL.into_iter().filter(move |r| self.has(*r))
    }

    /// Whether a TOTP second factor is required (admin and coordinator).
    pub fn requires_second_factor(self) -> bool {
        self.has(Role::Admin) || self.has(Role::Coordinator)
    }
}

impl fmt::Display for Roles {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<_> = self.iter().map(Role::as_str).collect();
        f.write_str(&names.join(","))
    }
}

impl fmt::Debug for Roles {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Roles({self})")
    }
}

/// Why a moderator refused a letter. The writer sees only a kind, generic explanation;
/// the moderator's note stays with the staff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectReason {
    Politics,
    War,
    CaseDetails,
    ContactData,
    Offensive,
    Spam,
    Duplicate,
    Other,
}

impl RejectReason {
    pub const ALL: [RejectReason; 8] = [
        RejectReason::Politics,
        RejectReason::War,
        RejectReason::CaseDetails,
        RejectReason::ContactData,
        RejectReason::Offensive,
        RejectReason::Spam,
        RejectReason::Duplicate,
        RejectReason::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RejectReason::Politics => "politics",
            RejectReason::War => "war",
            RejectReason::CaseDetails => "case_details",
            RejectReason::ContactData => "contact_data",
            RejectReason::Offensive => "offensive",
            RejectReason::Spam => "spam",
            RejectReason::Duplicate => "duplicate",
            RejectReason::Other => "other",
        }
    }
}

impl FromStr for RejectReason {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RejectReason::ALL
            .into_iter()
            .find(|r| r.as_str() == s.trim())
            .ok_or(ParseError::Invalid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_their_list() {
        let roles = Roles::parse("translator, moderator").unwrap();
        assert!(roles.has(Role::Moderator));
        assert!(roles.has(Role::Translator));
        assert!(!roles.has(Role::Admin));
        assert_eq!(roles.to_string(), "moderator,translator");
        assert_eq!(Roles::parse(&roles.to_string()), Ok(roles));
    }

    #[test]
    fn an_empty_or_unknown_role_is_refused() {
        assert_eq!(Roles::parse(""), Err(ParseError::Empty));
        assert_eq!(Roles::parse("moderator,boss"), Err(ParseError::Invalid));
    }

    #[test]
    fn admins_hold_every_role() {
        let admin = Roles::of(&[Role::Admin]);
        assert!(admin.any(&[Role::Dispatcher]));
        assert!(!Roles::of(&[Role::Viewer]).any(&[Role::Moderator]));
    }

    #[test]
    fn admins_and_coordinators_need_a_second_factor() {
        assert!(Roles::of(&[Role::Admin]).requires_second_factor());
        assert!(Roles::of(&[Role::Coordinator, Role::Viewer]).requires_second_factor());
        assert!(!Roles::of(&[Role::Moderator, Role::Translator]).requires_second_factor());
    }

    #[test]
    fn reasons_round_trip() {
        for reason in RejectReason::ALL {
            assert_eq!(reason.as_str().parse::<RejectReason>(), Ok(reason));
        }
    }
}
