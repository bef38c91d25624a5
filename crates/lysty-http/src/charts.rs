//! Charts for the statistics page, drawn on the server as SVG: no JavaScript, nothing
//! fetched. Only the geometry is computed here; the templates draw it (so every label is
//! escaped like any other text), each chart with a title, and the numbers stay in a table
//! beside it for people who do not see the chart.
//!
//! Written by hand: the charting crates draw whole images with their own text handling,
//! while a bar is a rectangle and these pages need the text to go through the templates.

/// Horizontal bars: a ranking (sources, cities, countries, prisoners, events).
#[derive(Debug, Clone)]
pub struct BarChart {
    pub id: String,
    pub title: String,
    pub width: u32,
    pub height: u32,
    pub label_width: u32,
    pub bars: Vec<Bar>,
}

#[derive(Debug, Clone)]
pub struct Bar {
    pub label: String,
    pub value: String,
    pub y: u32,
    pub length: u32,
    /// Where the value is written: after the bar.
    pub value_x: u32,
}

/// Columns over time, with a line through their tops (letters per month).
#[derive(Debug, Clone)]
pub struct ColumnChart {
    pub id: String,
    pub title: String,
    /// What the line through the columns' tops shows, under the chart.
    pub legend: String,
    pub width: u32,
    pub height: u32,
    pub baseline: u32,
    pub columns: Vec<Column>,
    /// `x,y x,y …` for a polyline.
    pub line: String,
    /// The largest value, written at the top of the scale.
    pub max_label: String,
}

#[derive(Debug, Clone)]
pub struct Column {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
    /// Shown under some columns only, so that labels never overlap.
    pub label: Option<String>,
    pub value: String,
}

const BAR_HEIGHT: u32 = 22;
const BAR_GAP: u32 = 8;
/// Drawn at about the width of a column of the statistics page, so text stays legible.
const CHART_WIDTH: u32 = 320;

/// Months as `YYYY-MM` keys (ascending) with the months between them that had no letters
/// added as zeros, so that a chart over time has no hidden gaps.
pub fn continuous_months(months: &[(String, i64)]) -> Vec<(String, i64)> {
    let parse = |key: &str| -> Option<(i32, u32)> {
        let (y, m) = key.split_once('-')?;
        Some((y.parse().ok()?, m.parse().ok()?)).filter(|(_, m)| (1..=12).contains(m))
    };
    let (Some(first), Some(last)) = (
        months.first().and_then(|(k, _)| parse(k)),
        months.last().and_then(|(k, _)| parse(k)),
    ) else {
        return months.to_vec();
    };
    let mut out = Vec::new();
    let (mut year, mut month) = first;
    // At most a century of months, whatever the keys say.
    while (year, month) <= last && out.len() < 1200 {
        let key = format!("{year:04}-{month:02}");
        let value = months
            .iter()
            .find(|(k, _)| *k == key)
            .map_or(0, |(_, v)| *v);
        out.push((key, value));
        (year, month) = if month == 12 {
            (year + 1, 1)
        } else {
            (year, month + 1)
        };
    }
    out
}

/// Bars for at most `limit` items, largest first as given.
pub fn bars(id: &str, title: String, items: &[(String, i64, String)], limit: usize) -> BarChart {
    let items = &items[..items.len().min(limit)];
    let label_width = 120;
    let room = CHART_WIDTH - label_width - 48;
    let max = items.iter().map(|(_, v, _)| *v).max().unwrap_or(0).max(1);
    let bars = items
        .iter()
        .enumerate()
        .map(|(i, (label, value, shown))| {
            let length = scale(*value, max, room).max(u32::from(*value > 0));
            Bar {
                label: shorten(label, 17),
                value: shown.clone(),
                y: index(i) * (BAR_HEIGHT + BAR_GAP),
                length,
                value_x: label_width + length + 6,
            }
        })
        .collect::<Vec<_>>();
    BarChart {
        id: id.to_owned(),
        title,
        width: CHART_WIDTH,
        height: (index(bars.len()) * (BAR_HEIGHT + BAR_GAP)).max(BAR_HEIGHT),
        label_width,
        bars,
    }
}

/// Columns for a time series (oldest first), at most the last `limit` points.
pub fn columns(
    id: &str,
    title: String,
    items: &[(String, i64, String)],
    limit: usize,
) -> ColumnChart {
    let items = &items[items.len().saturating_sub(limit)..];
    let height = 160;
    let baseline = height - 24;
    let top = 20;
    let left = 8;
    let max = items.iter().map(|(_, v, _)| *v).max().unwrap_or(0).max(1);
    let slot = (CHART_WIDTH - left) / index(items.len()).max(1);
    let width = (slot * 7 / 10).clamp(2, 24);
    // Label every n-th column so that labels never run into each other.
    let every = (90 / slot.max(1)).max(1) as usize;
    let columns: Vec<Column> = items
        .iter()
        .enumerate()
        .map(|(i, (label, value, shown))| {
            let h = scale(*value, max, baseline - top);
            Column {
                x: left + index(i) * slot + (slot - width) / 2,
                y: baseline - h,
                width,
                height: h,
                label: (i % every == 0 || i + 1 == items.len()).then(|| label.clone()),
                value: shown.clone(),
            }
        })
        .collect();
    let line = columns
        .iter()
        .map(|c| format!("{},{}", c.x + c.width / 2, c.y))
        .collect::<Vec<_>>()
        .join(" ");
    ColumnChart {
        id: id.to_owned(),
        title,
        legend: String::new(),
        width: CHART_WIDTH,
        height,
        baseline,
        max_label: items
            .iter()
            .max_by_key(|(_, v, _)| *v)
            .map(|(_, _, s)| s.clone())
            .unwrap_or_default(),
        columns,
        line,
    }
}

fn index(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

fn scale(value: i64, max: i64, room: u32) -> u32 {
    let value = value.clamp(0, max);
    u32::try_from(value.saturating_mul(i64::from(room)) / max).unwrap_or(room)
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut short: String = text.chars().take(max - 1).collect();
        short.push('…');
        short
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(values: &[i64]) -> Vec<(String, i64, String)> {
        values
            .iter()
            .enumerate()
            .map(|(i, v)| (format!("k{i}"), *v, v.to_string()))
            .collect()
    }

    #[test]
    fn the_longest_bar_is_the_largest_value_and_bars_are_proportional() {
        let chart = bars("c", "t".into(), &items(&[700, 350, 0]), 10);
        assert_eq!(chart.bars.len(), 3);
        assert_eq!(chart.bars[0].length, 2 * chart.bars[1].length);
        assert_eq!(chart.bars[2].length, 0);
        assert!(chart.bars[0].value_x + 40 <= chart.width, "the value fits");
        assert!(chart.bars[1].y > chart.bars[0].y);
    }

    #[test]
    fn long_labels_are_shortened_and_only_the_top_items_drawn() {
        let mut list = items(&[5, 4, 3]);
        list[0].0 = "Дуже довга назва міста, що не вміщується".into();
        let chart = bars("c", "t".into(), &list, 2);
        assert_eq!(chart.bars.len(), 2);
        assert!(chart.bars[0].label.ends_with('…'));
        assert!(chart.bars[0].label.chars().count() <= 17);
    }

    #[test]
    fn columns_stand_on_the_baseline_and_the_line_joins_their_tops() {
        let chart = columns("m", "t".into(), &items(&[1, 2, 4]), 24);
        for c in &chart.columns {
            assert_eq!(c.y + c.height, chart.baseline);
        }
        assert!(chart.columns[2].height > chart.columns[1].height);
        assert_eq!(chart.line.split(' ').count(), 3);
        assert_eq!(chart.max_label, "4");
    }

    #[test]
    fn months_without_letters_are_shown_as_zeros() {
        let months = continuous_months(&[("2024-11".to_owned(), 5), ("2025-02".to_owned(), 3)]);
        assert_eq!(
            months,
            [
                ("2024-11".to_owned(), 5),
                ("2024-12".to_owned(), 0),
                ("2025-01".to_owned(), 0),
                ("2025-02".to_owned(), 3),
            ]
        );
        assert!(continuous_months(&[]).is_empty());
    }

    #[test]
    fn many_months_keep_their_labels_apart() {
        let chart = columns("m", "t".into(), &items(&[1; 60]), 36);
        assert_eq!(chart.columns.len(), 36);
        let labelled: Vec<u32> = chart
            .columns
            .iter()
            .filter(|c| c.label.is_some())
            .map(|c| c.x)
            .collect();
        for pair in labelled.windows(2) {
            assert!(
                pair[1] - pair[0] >= 50 || pair[1] == labelled[labelled.len() - 1],
                "{labelled:?}"
            );
        }
    }

    #[test]
    fn an_empty_series_draws_nothing_and_does_not_divide_by_zero() {
        assert!(columns("m", "t".into(), &[], 24).columns.is_empty());
        assert!(bars("c", "t".into(), &[], 10).bars.is_empty());
    }
}
