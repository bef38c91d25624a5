//! The settings a committed letter's safety rests on, read back from the database after
//! opening it: asking for WAL or `synchronous=FULL` is not proof that SQLite could grant
//! it (a file system without shared memory refuses WAL, and a setting can be overridden).

use sqlx::SqlitePool;

use crate::Synchronous;

/// What the database reports for each setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observed {
    pub journal_mode: String,
    /// 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA.
    pub synchronous: i64,
    pub foreign_keys: bool,
    pub secure_delete: bool,
    pub trusted_schema: bool,
}

pub(crate) async fn read_back(pool: &SqlitePool) -> Result<Observed, sqlx::Error> {
    let mut db = pool.acquire().await?;
    let text = |name: &'static str| format!("PRAGMA {name}");
    let mut int = async |name: &'static str| -> Result<i64, sqlx::Error> {
        sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(text(name)))
            .fetch_one(&mut *db)
            .await
    };
    let synchronous = int("synchronous").await?;
    let foreign_keys = int("foreign_keys").await? == 1;
    let secure_delete = int("secure_delete").await? == 1;
    let trusted_schema = int("trusted_schema").await? == 1;
    let journal_mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&mut *db)
        .await?;
    Ok(Observed {
        journal_mode: journal_mode.to_lowercase(),
        synchronous,
        foreign_keys,
        secure_delete,
        trusted_schema,
    })
}

/// What is unsafe in `observed`, in words; empty when all is well. `NORMAL` durability is
/// accepted only when the operator chose it.
pub fn check(observed: &Observed, chosen: Synchronous) -> Vec<String> {
    let mut problems = Vec::new();
    if observed.journal_mode != "wal" {
        problems.push(format!(
            "journal_mode is {} (WAL wanted)",
            observed.journal_mode
        ));
    }
    let wanted = match chosen {
        Synchronous::Full => 2,
        Synchronous::Normal => 1,
    };
    if observed.synchronous < wanted {
        problems.push(format!(
            "synchronous is {} (at least {wanted} wanted: an acknowledged letter could be lost on power loss)",
            observed.synchronous
        ));
    }
    if !observed.foreign_keys {
        problems.push("foreign_keys is off".into());
    }
    if !observed.secure_delete {
        problems.push("secure_delete is off (deleted writers' data would stay in the file)".into());
    }
    if observed.trusted_schema {
        problems.push("trusted_schema is on".into());
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn safe() -> Observed {
        Observed {
            journal_mode: "wal".into(),
            synchronous: 2,
            foreign_keys: true,
            secure_delete: true,
            trusted_schema: false,
        }
    }

    #[test]
    fn safe_settings_pass_and_each_unsafe_one_is_named() {
        assert!(check(&safe(), Synchronous::Full).is_empty());
        let cases: [(Observed, &str); 5] = [
            (
                Observed {
                    journal_mode: "delete".into(),
                    ..safe()
                },
                "journal_mode",
            ),
            (
                Observed {
                    synchronous: 1,
                    ..safe()
                },
                "synchronous",
            ),
            (
                Observed {
                    foreign_keys: false,
                    ..safe()
                },
                "foreign_keys",
            ),
            (
                Observed {
                    secure_delete: false,
                    ..safe()
                },
                "secure_delete",
            ),
            (
                Observed {
                    trusted_schema: true,
                    ..safe()
                },
                "trusted_schema",
            ),
        ];
        for (observed, named) in cases {
            let problems = check(&observed, Synchronous::Full);
            assert_eq!(problems.len(), 1, "{problems:?}");
            assert!(problems[0].starts_with(named), "{problems:?}");
        }
    }

    #[test]
    fn normal_durability_passes_only_when_chosen() {
        let normal = Observed {
            synchronous: 1,
            ..safe()
        };
        assert!(check(&normal, Synchronous::Normal).is_empty());
        assert!(!check(&normal, Synchronous::Full).is_empty());
        let off = Observed {
            synchronous: 0,
            ..safe()
        };
        assert!(!check(&off, Synchronous::Normal).is_empty());
    }
}
