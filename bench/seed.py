#!/usr/bin/env python3
"""Seeds a Lysty SQLite database for the benchmarks, straight with SQL.

    seed.py prisoners DB COUNT   add COUNT published prisoners (bench-prisoner-NNN)
    seed.py letters DB COUNT     add COUNT letters, one transaction

The database must already hold the schema and the demo campaign (`lysty serve --demo`).
Counters are NOT touched: run `lysty stats rebuild` afterwards so they match the letters.

Letters are spread like a campaign's: received over the last 24 months (the current month
included, oldest first, UUID v7 ids in time order), a skewed share per prisoner, online /
kiosk / paper sources (kiosk and paper at the demo events, paper counted at the event's
city), writers' cities and countries, languages, and states by age (older letters mostly
sent and delivered, recent ones in review). Each letter has its `received` transition, and
one to its current state when it moved on. Tracking codes are 16 hexadecimal digits (valid
Crockford symbols; 64 random bits instead of 80, cheap for SQLite to make). Batches,
outcomes, emails and tallies are left out: the public figures do not read them. The spread
is the same from run to run; the draws themselves (SQLite's random()) and the dates, which
follow today, are not.
"""

import datetime as dt
import os
import random
import sqlite3
import sys
import time

CITIES = [
    # (city, country, weight); None: the writer gave no place.
    ("Київ", "Україна", 30), ("Львів", "Україна", 14), ("Харків", "Україна", 8),
    ("Одеса", "Україна", 7), ("Дніпро", "Україна", 6), ("Вінниця", "Україна", 4),
    ("Полтава", "Україна", 3), ("Чернівці", "Україна", 3), ("Івано-Франківськ", "Україна", 3),
    ("Ужгород", "Україна", 2), ("Житомир", "Україна", 2), ("Рівне", "Україна", 2),
    ("Луцьк", "Україна", 2), ("Тернопіль", "Україна", 2), ("Запоріжжя", "Україна", 3),
    ("Суми", "Україна", 1), ("Чернігів", "Україна", 1), ("Херсон", "Україна", 2),
    ("Миколаїв", "Україна", 2), ("Кропивницький", "Україна", 1), ("Черкаси", "Україна", 1),
    ("Хмельницький", "Україна", 1), ("Warszawa", "Polska", 3), ("Kraków", "Polska", 2),
    ("Berlin", "Deutschland", 3), ("München", "Deutschland", 1), ("Praha", "Česko", 2),
    ("Vilnius", "Lietuva", 2), ("Rīga", "Latvija", 1), ("Tallinn", "Eesti", 1),
    ("Toronto", "Canada", 2), ("London", "United Kingdom", 2), ("Paris", "France", 1),
    ("New York", "United States", 1), ("Ankara", "Türkiye", 1), ("Istanbul", "Türkiye", 1),
    (None, None, 10),
]
LANGUAGES = [("uk", 75), ("en", 9), ("crh", 6), ("ru", 4), ("other", 4), ("und", 2)]
SOURCES = [("online", 70), ("kiosk", 15), ("paper", 15)]
STATES_OLD = [("delivered", 48), ("sent", 18), ("withheld", 5), ("returned", 3),
              ("undeliverable", 2), ("rejected", 10), ("approved", 6), ("batched", 8)]
STATES_RECENT = [("received", 30), ("in_review", 18), ("needs_translation", 8),
                 ("approved", 20), ("rejected", 6), ("batched", 10), ("sent", 8)]
NAMES = [None, None, "Олена", "Андрій", "Марія", "Тарас", "Ірина", "Алім", "Sarah", "Jan",
         "Оксана К.", "Друзі з Полтави"]
BODIES = [
    "Добрий день! Пишу вам з {city}. Ми пам'ятаємо про вас щодня і чекаємо вдома. "
    "Весна цього року рання, у парку вже цвітуть каштани. Тримайтеся! Лист №{n}.",
    "Вітаю! Я дізналася про вас на книжковому форумі. Хочу, щоб ви знали: ви не самі. "
    "Мої діти передають вам малюнок із сонцем. Обіймаю. Лист №{n}.",
    "Hello from {city}. We have never met, but many people here think of you and "
    "speak your name. Stay strong; you are not forgotten. Letter {n}.",
    "Selâm! Qırımdan uzaqta olsam da, sizni unutmaymız. Saba ve aqşam duamızdasıñız. "
    "Sağlıq ve sabır tileymen. Mektüp {n}.",
    "Привіт! У нас у місті відкрили нову бібліотеку, і я записався туди першим. "
    "Читаю про Крим і думаю про вас. Напишіть, які книжки вам передати. Лист №{n}.",
    "Дорогий друже, сьогодні ми знову зібралися на акції підтримки. Було багато людей, "
    "всі говорили про вас і про інших. Ми чекаємо. Лист №{n}.",
]


def rfc3339(t: dt.datetime) -> str:
    """The text sqlx writes for a DateTime<Utc> on SQLite."""
    return t.isoformat(timespec="microseconds" if t.microsecond else "seconds")


_RAND_A = ((1 << 12) - 1) << 64
_RAND_B = (1 << 62) - 1
_VERSION_VARIANT = (0x7 << 76) | (0b10 << 62)


def uuid7(ms: int, rng: random.Random) -> bytes:
    """A UUID v7 (RFC 9562): 48 bits of Unix milliseconds, version, 74 random bits."""
    rand = rng.getrandbits(80) & (_RAND_A | _RAND_B)
    return ((ms << 80) | rand | _VERSION_VARIANT).to_bytes(16, "big")


def weighted(pairs, rng, k):
    values = [p[:-1] if len(p) > 2 else p[0] for p in pairs]
    weights = [p[-1] for p in pairs]
    return rng.choices(values, weights=weights, k=k)


def connect(path: str) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level=None)
    # Lysty leaves the file in WAL mode; a bulk load is faster with a rollback journal and
    # no fsync. The mode is put back before the file is handed to lysty.
    db.execute("PRAGMA journal_mode=DELETE")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("PRAGMA cache_size=-262144")
    db.execute("PRAGMA temp_store=MEMORY")
    # The seed makes only valid references; checking each costs more than the rest.
    db.execute("PRAGMA foreign_keys=OFF")
    return db


def finish(db: sqlite3.Connection) -> None:
    db.execute("PRAGMA journal_mode=WAL")
    db.close()


def campaign_id(db) -> bytes:
    rows = db.execute("SELECT id FROM campaigns").fetchall()
    if len(rows) != 1:
        sys.exit(f"seed.py: expected one campaign, found {len(rows)} (seed with serve --demo)")
    return rows[0][0]


def seed_prisoners(path: str, count: int) -> None:
    db = connect(path)
    rng = random.Random(7)
    now = rfc3339(dt.datetime.now(dt.timezone.utc).replace(microsecond=0))
    statuses = weighted([("convicted", 60), ("detained", 30), ("released", 6), ("unknown", 4)],
                        rng, count)
    rows = [
        (uuid7(int(time.time() * 1000), rng), f"bench-prisoner-{i:03d}",
         f"Тестовий в'язень {i:03d}", f"Bench prisoner {i:03d}", statuses[i - 1], now, now)
        for i in range(1, count + 1)
    ]
    db.execute("BEGIN")
    db.executemany(
        "INSERT INTO prisoners (id, slug, name_uk, name_en, status, published, created_at,"
        " updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?)", rows)
    db.execute("COMMIT")
    finish(db)


def slots(db, table: str, columns: str, pairs) -> int:
    """A temporary table where each value fills as many slots as its weight: a weighted
    pick is then a lookup of `random() % slots` by integer key, inside SQLite."""
    db.execute(f"CREATE TEMP TABLE {table} (slot INTEGER PRIMARY KEY, {columns})")
    rows = []
    for *value, weight in pairs:
        rows.extend([tuple(value)] * weight)
    marks = ", ".join("?" * (1 + len(rows[0])))
    db.executemany(f"INSERT INTO {table} VALUES ({marks})",
                   [(slot, *value) for slot, value in enumerate(rows)])
    return len(rows)


def seed_letters(path: str, count: int) -> None:
    db = connect(path)
    # Letters have an implicit rowid: the new ones are those above the largest before.
    before = db.execute("SELECT coalesce(max(rowid), 0) FROM letters").fetchone()[0]
    rng = random.Random(count * 1_000_003 + before)
    campaign = campaign_id(db)
    prisoners = [r[0] for r in db.execute(
        "SELECT id FROM prisoners WHERE published ORDER BY slug")]
    events = db.execute("SELECT id, city, country FROM events ORDER BY slug").fetchall()
    if not prisoners or not events:
        sys.exit("seed.py: no prisoners or no events (seed with serve --demo)")
    # A few prisoners get most letters: weight ~ 1/rank^0.8 in a shuffled order, over
    # 10,000 slots (every prisoner gets at least one).
    rng.shuffle(prisoners)
    raw = [1 / (r + 1) ** 0.8 for r in range(len(prisoners))]
    scale = 10_000 / sum(raw)
    n_prisoner = slots(db, "b_prisoner", "id BLOB",
                       [(p, max(1, round(w * scale))) for p, w in zip(prisoners, raw)])
    n_event = slots(db, "b_event", "id BLOB, city TEXT, country TEXT",
                    [(*e, 1) for e in events])
    n_place = slots(db, "b_place", "city TEXT, country TEXT", CITIES)
    n_source = slots(db, "b_source", "source TEXT", SOURCES)
    n_language = slots(db, "b_language", "language TEXT, detected TEXT",
                       [(l, None if l == "und" else l, w) for l, w in LANGUAGES])
    n_old = slots(db, "b_state_old", "state TEXT", STATES_OLD)
    n_recent = slots(db, "b_state_recent", "state TEXT", STATES_RECENT)
    n_body = slots(db, "b_body", "body TEXT", [(b, 1) for b in BODIES])
    n_name = slots(db, "b_name", "name TEXT", [(n, 1) for n in NAMES])

    db.create_function("bench_uuid7", 1, lambda ms: uuid7(ms, rng), deterministic=False)

    now = dt.datetime.now(dt.timezone.utc)
    # From the first day of the month 23 months ago up to a minute ago: 24 months.
    first = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    month, year = first.month - 23, first.year
    while month < 1:
        month, year = month + 12, year - 1
    start = first.replace(year=year, month=month).timestamp()
    span = (now - dt.timedelta(minutes=1)).timestamp() - start
    recent_after = (now - dt.timedelta(days=90)).timestamp()

    db.execute("BEGIN")
    # One statement: a recursive CTE numbers the letters (its random draws are stored
    # with each row, so each is used once); received_at increases with the number, so
    # ids (UUID v7) come in time order, as they do in service.
    db.execute(f"""
        INSERT INTO letters (id, campaign_id, tracking_code, idempotency_key, prisoner_id,
            source, event_id, writer_name, writer_city, writer_country, language, body,
            state, received_at, updated_at, flags, detected_language, fingerprint)
        WITH RECURSIVE g(i, r1, r2, r3, r4, r5, r6, r7) AS (
            SELECT 0, random(), random(), random(), random(), random(), random(), random()
            UNION ALL
            SELECT i + 1, random(), random(), random(), random(), random(), random(), random()
            FROM g WHERE i + 1 < :count
        ),
        t AS (
            SELECT *, :start + :span * (i + 0.5) / :count AS ts FROM g
        ),
        l AS (
            SELECT t.i, t.ts, t.r7,
                strftime('%Y-%m-%dT%H:%M:%f', t.ts, 'unixepoch') || '+00:00' AS stamp,
                p.id AS prisoner, s.source, e.id AS event, e.city AS event_city,
                e.country AS event_country, pl.city, pl.country, lg.language, lg.detected,
                CASE WHEN t.ts >= :recent THEN sr.state ELSE so.state END AS state,
                b.body, n.name
            FROM t
            JOIN b_prisoner p ON p.slot = abs(t.r1) % {n_prisoner}
            JOIN b_source s ON s.slot = abs(t.r2) % {n_source}
            JOIN b_event e ON e.slot = t.i % {n_event}
            JOIN b_place pl ON pl.slot = abs(t.r3) % {n_place}
            JOIN b_language lg ON lg.slot = abs(t.r4) % {n_language}
            JOIN b_state_old so ON so.slot = abs(t.r5) % {n_old}
            JOIN b_state_recent sr ON sr.slot = abs(t.r5) % {n_recent}
            JOIN b_body b ON b.slot = abs(t.r6) % {n_body}
            JOIN b_name n ON n.slot = t.i % {n_name}
        )
        SELECT bench_uuid7(CAST(ts * 1000 AS INTEGER)), :campaign,
            -- 16 symbols like a real code; hex digits are Crockford symbols too.
            hex(randomblob(8)),
            CASE WHEN source <> 'paper' THEN 'bench-' || (:before + i + 1) END,
            prisoner, source, CASE WHEN source <> 'online' THEN event END, name,
            CASE WHEN source = 'paper' THEN event_city ELSE city END,
            CASE WHEN source = 'paper' THEN event_country ELSE country END,
            language,
            replace(replace(body, '{{city}}', coalesce(CASE WHEN source = 'paper'
                THEN event_city ELSE city END, 'дому')), '{{n}}', :before + i + 1),
            state, stamp, stamp, '[]', detected, printf('%016x', r7)
        FROM l
        """, {"count": count, "start": start, "span": span, "recent": recent_after,
              "campaign": campaign, "before": before})
    db.execute(
        "INSERT INTO letter_transitions (letter_id, from_state, to_state, at)"
        " SELECT id, NULL, 'received', received_at FROM letters WHERE rowid > ? ORDER BY rowid",
        (before,))
    db.execute(
        "INSERT INTO letter_transitions (letter_id, from_state, to_state, at)"
        " SELECT id, 'received', state, received_at FROM letters"
        " WHERE rowid > ? AND state <> 'received' ORDER BY rowid", (before,))
    db.execute("COMMIT")
    finish(db)


def main() -> None:
    if len(sys.argv) != 4 or sys.argv[1] not in ("prisoners", "letters"):
        sys.exit(__doc__)
    what, path, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if not os.path.exists(path):
        sys.exit(f"seed.py: {path} does not exist")
    if what == "prisoners":
        seed_prisoners(path, count)
    else:
        seed_letters(path, count)


if __name__ == "__main__":
    main()
