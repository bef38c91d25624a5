//! The review and translation queues are read through the partial indexes of the waiting
//! letters, in id order, without sorting the queue: SQLite's own plan for each query the
//! store sends says so, so that a later change to the query or the indexes cannot lose it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use lysty_domain::LetterState;
use lysty_store::backend::Bind;
use lysty_store::{CampaignId, LetterId, ReviewFilter, review_queue_query};
use lysty_store_sqlite::{SqliteOptions, SqliteStore};
use sqlx::Connection;

async fn plan(url: &str, filter: &ReviewFilter) -> String {
    let (query, binds) = review_queue_query(CampaignId(uuid::Uuid::now_v7()), filter);
    let explain = format!("EXPLAIN QUERY PLAN {query}");
    // The store's own query, prefixed: no input reaches it.
    let mut q = sqlx::query(sqlx::AssertSqlSafe(explain));
    for bind in binds {
        q = match bind {
            Bind::Text(v) => q.bind(v),
            Bind::Uuid(v) => q.bind(v),
            Bind::Int(v) => q.bind(v),
        };
    }
    let mut db = sqlx::SqliteConnection::connect(url).await.unwrap();
    let rows = q.fetch_all(&mut db).await.unwrap();
    use sqlx::Row;
    rows.iter()
        .map(|r| r.get::<String, _>("detail"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn each_queue_reads_its_partial_index_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("plans.db").display());
    let store = SqliteStore::open(
        &url,
        &SqliteOptions {
            create: true,
            ..SqliteOptions::default()
        },
    )
    .await
    .unwrap();
    // The queue's states, the index for the whole queue, the index for one prisoner's.
    let queues = [
        (
            vec![LetterState::Received, LetterState::InReview],
            "letters_waiting_review",
            "letters_waiting_review_by_prisoner",
        ),
        (
            vec![LetterState::NeedsTranslation],
            "letters_by_state",
            "letters_waiting_translation_by_prisoner",
        ),
    ];
    for (states, index, by_prisoner) in queues {
        let base = ReviewFilter {
            states: states.clone(),
            limit: 50,
            ..ReviewFilter::default()
        };
        let filters = [
            ("the first page", base.clone()),
            (
                "a later page",
                ReviewFilter {
                    after: Some(LetterId::new()),
                    ..base.clone()
                },
            ),
            (
                "one prisoner's letters",
                ReviewFilter {
                    prisoner: Some("remzi-bekirov".into()),
                    ..base.clone()
                },
            ),
        ];
        for (what, filter) in filters {
            let plan = plan(&url, &filter).await;
            let expected = if filter.prisoner.is_some() {
                by_prisoner
            } else {
                index
            };
            assert!(
                plan.contains(&format!("INDEX {expected} ")),
                "{what} of {states:?} does not read {expected}:\n{plan}"
            );
            assert!(
                !plan.contains("TEMP B-TREE"),
                "{what} of {states:?} sorts:\n{plan}"
            );
        }
    }
    store.close().await;
}
