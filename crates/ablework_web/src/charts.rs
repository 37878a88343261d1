//! Accessible charts, drawn on the server as SVG strings: no chart library
//! and no JavaScript, so they show the same in every browser, in print and
//! in a screen reader.
//!
//! Each chart is one `<svg role="img">` named by its `<title>` and
//! described by its `<desc>` (both given by the caller, in the reader's
//! language). A chart never stands alone: the page puts the same numbers in
//! a data table beside it, which is what a screen reader user reads.
//!
//! Colours come from the Okabe–Ito palette, which readers with the common
//! colour-vision deficiencies can tell apart, and no meaning rests on colour
//! alone: achievement is a filled bar or a solid line, the target a thin
//! marker or a dashed line. Text and axes are drawn in `currentColor`, so
//! they follow the page's text colour, including in forced-colours
//! (high-contrast) mode and in print; every element has a `class` so the
//! style sheet can adjust it. No text is smaller than 14px.
//!
//! The SVG carries no words of its own except the empty-state message, so
//! the caller's legend or caption (e.g. "bars: achieved; line: target;
//! numbers: achieved / target") says what the marks mean.

use std::fmt::Write as _;

/// Okabe–Ito blue: what has been achieved.
const ACHIEVED: &str = "#0072B2";
/// Okabe–Ito vermillion: targets and expected pacing.
const TARGET: &str = "#D55E00";
/// Okabe–Ito sky blue: the projection's uncertainty band.
const BAND: &str = "#56B4E9";
/// The font size of every text, in px.
const FONT_SIZE: u64 = 14;
/// The width of every chart's coordinate system.
const WIDTH: u64 = 640;
/// The narrowest label column of a bar chart: about seven characters of
/// Chinese (a district name such as 滨海新区 with room to spare).
const MIN_LABEL_WIDTH: u64 = 7 * FONT_SIZE + 16;
/// The widest label column; longer labels overflow to the left edge.
const MAX_LABEL_WIDTH: u64 = 240;
/// Room to the right of the longest bar for its number.
const VALUE_WIDTH: u64 = 96;
/// The height of a bar chart row and of a bar in it.
const ROW_HEIGHT: u64 = 32;
const BAR_HEIGHT: u64 = 20;
/// The message of a chart without data, in both languages because the
/// chart functions take no language.
const EMPTY_MESSAGE: &str = "暂无数据 · No data yet";

/// A horizontal bar chart: one bar per `(label, value, target)`, in the
/// given order. A target is drawn as a vermillion marker across its bar,
/// and the number at the end of each bar reads `value` or
/// `value / target`. Bars scale to the largest value or target. `id` must
/// be unique on the page; it names the title and description.
pub fn bar_chart(
    title: &str,
    description: &str,
    bars: &[(String, u64, Option<u64>)],
    id: &str,
) -> String {
    if bars.is_empty() {
        return empty_chart(title, description, id);
    }
    let label_width = bars
        .iter()
        .map(|(label, _, _)| text_width(label) + 16)
        .max()
        .unwrap_or(0)
        .clamp(MIN_LABEL_WIDTH, MAX_LABEL_WIDTH);
    let plot_width = WIDTH - label_width - VALUE_WIDTH;
    let top = 8;
    let rows = u64::try_from(bars.len()).unwrap_or(u64::MAX / ROW_HEIGHT);
    let height = top + rows * ROW_HEIGHT + 8;
    let scale_max = bars
        .iter()
        .map(|(_, value, target)| (*value).max(target.unwrap_or(0)))
        .max()
        .unwrap_or(0);

    let mut svg = open_svg(title, description, id, height, "chart-bar");
    for (row, (label, value, target)) in (0_u64..).zip(bars) {
        let y = top + row * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2;
        let bar_width = scaled(*value, scale_max, plot_width);
        let _ = write!(
            svg,
            r#"<text class="chart-label" x="{lx}" y="{ty}" text-anchor="end" fill="currentColor">{label}</text><rect class="chart-bar-achieved" x="{label_width}" y="{y}" width="{bar_width}" height="{BAR_HEIGHT}" fill="{ACHIEVED}" stroke="currentColor" stroke-width="1"/>"#,
            lx = label_width - 8,
            ty = y + BAR_HEIGHT / 2 + 5,
            label = escape(label),
        );
        let mut end = label_width + bar_width;
        let mut number = group_digits(*value);
        if let Some(target) = target {
            let x = label_width + scaled(*target, scale_max, plot_width);
            let _ = write!(
                svg,
                r#"<line class="chart-target" x1="{x}" x2="{x}" y1="{y1}" y2="{y2}" stroke="{TARGET}" stroke-width="3"/>"#,
                y1 = y - 4,
                y2 = y + BAR_HEIGHT + 4,
            );
            end = end.max(x + 1);
            number = format!("{number} / {}", group_digits(*target));
        }
        let _ = write!(
            svg,
            r#"<text class="chart-value" x="{x}" y="{ty}" fill="currentColor">{number}</text>"#,
            x = end + 6,
            ty = y + BAR_HEIGHT / 2 + 5,
        );
    }
    let _ = write!(
        svg,
        r#"<line class="chart-axis" x1="{label_width}" x2="{label_width}" y1="{top}" y2="{bottom}" stroke="currentColor" stroke-width="1"/></svg>"#,
        bottom = height - 8,
    );
    svg
}

/// A line chart of cumulative achievement by month, in the given order:
/// a solid blue line with a dot per month for `achieved` and a dashed
/// vermillion line for `expected` (months without it are skipped). A
/// `target` above zero is drawn as a thin vermillion line across the chart,
/// with its number. With a `projection` of `(low, mid, high)` for the end
/// of the period, a column at the right shows the band from low to high with
/// `mid` marked, joined to the last month by a dotted line. Pass the months
/// that have data (up to the current one): later months would draw a flat
/// line that reads as "no progress". `id` must be unique on the page.
pub fn line_chart(
    title: &str,
    description: &str,
    series: &[(String, u64, Option<u64>)],
    target: u64,
    projection: Option<(u64, u64, u64)>,
    id: &str,
) -> String {
    if series.is_empty() {
        return empty_chart(title, description, id);
    }
    let height = 320;
    let (left, top, bottom) = (72, 24, height - 48);
    let right = WIDTH - 16 - if projection.is_some() { 80 } else { 0 };
    let largest = series
        .iter()
        .map(|(_, achieved, expected)| (*achieved).max(expected.unwrap_or(0)))
        .chain(projection.map(|(low, mid, high)| low.max(mid).max(high)))
        .chain([target])
        .max()
        .unwrap_or(0);
    let step = nice_step(largest.div_ceil(4));
    let y_max = step * 4;
    let y_of = |value: u64| bottom - scaled(value, y_max, bottom - top);
    let count = u64::try_from(series.len()).unwrap_or(u64::MAX);
    let x_of = |index: u64| {
        if count == 1 {
            left + (right - left) / 2
        } else {
            left + scaled(index, count - 1, right - left)
        }
    };

    let mut svg = open_svg(title, description, id, height, "chart-line");
    line_axes(
        &mut svg,
        series,
        step,
        (left, right, top, bottom),
        &x_of,
        &y_of,
    );

    if target > 0 {
        let y = y_of(target);
        let _ = write!(
            svg,
            r#"<line class="chart-target" x1="{left}" x2="{right}" y1="{y}" y2="{y}" stroke="{TARGET}" stroke-width="2"/><text class="chart-value" x="{tx}" y="{ty}" fill="currentColor">{value}</text>"#,
            tx = left + 6,
            ty = y.saturating_sub(6).max(FONT_SIZE),
            value = group_digits(target),
        );
    }
    let expected: Vec<String> = (0_u64..)
        .zip(series)
        .filter_map(|(index, (_, _, expected))| {
            expected.map(|value| format!("{},{}", x_of(index), y_of(value)))
        })
        .collect();
    if !expected.is_empty() {
        let _ = write!(
            svg,
            r#"<polyline class="chart-expected" points="{points}" fill="none" stroke="{TARGET}" stroke-width="2" stroke-dasharray="8 5"/>"#,
            points = expected.join(" "),
        );
    }
    let achieved: Vec<(u64, u64)> = (0_u64..)
        .zip(series)
        .map(|(index, (_, value, _))| (x_of(index), y_of(*value)))
        .collect();
    let points: Vec<String> = achieved.iter().map(|(x, y)| format!("{x},{y}")).collect();
    let _ = write!(
        svg,
        r#"<polyline class="chart-achieved" points="{points}" fill="none" stroke="{ACHIEVED}" stroke-width="3"/>"#,
        points = points.join(" "),
    );
    for (x, y) in &achieved {
        let _ = write!(
            svg,
            r#"<circle class="chart-achieved-point" cx="{x}" cy="{y}" r="3" fill="{ACHIEVED}"/>"#
        );
    }

    if let (Some((low, mid, high)), Some((last_x, last_y))) = (projection, achieved.last()) {
        let x = right + 48;
        let (y_low, y_mid, y_high) = (y_of(low), y_of(mid), y_of(high));
        let _ = write!(
            svg,
            r#"<line class="chart-projection-trend" x1="{last_x}" y1="{last_y}" x2="{x}" y2="{y_mid}" stroke="{ACHIEVED}" stroke-width="2" stroke-dasharray="2 4"/><rect class="chart-projection-band" x="{bx}" y="{y_high}" width="16" height="{bh}" fill="{BAND}" fill-opacity="0.6" stroke="{ACHIEVED}" stroke-width="1"/><circle class="chart-projection-mid" cx="{x}" cy="{y_mid}" r="5" fill="{ACHIEVED}" stroke="currentColor" stroke-width="1"/><text class="chart-value" x="{x}" y="{ty}" text-anchor="middle" fill="currentColor">{value}</text>"#,
            bx = x - 8,
            bh = y_low - y_high,
            ty = y_high.saturating_sub(8).max(FONT_SIZE),
            value = group_digits(mid),
        );
    }
    svg.push_str("</svg>");
    svg
}

/// The grid with its numbers, the month labels and the axes of a line
/// chart whose plot area is `(left, right, top, bottom)`.
fn line_axes(
    svg: &mut String,
    series: &[(String, u64, Option<u64>)],
    step: u64,
    (left, right, top, bottom): (u64, u64, u64, u64),
    x_of: &dyn Fn(u64) -> u64,
    y_of: &dyn Fn(u64) -> u64,
) {
    let count = u64::try_from(series.len()).unwrap_or(u64::MAX);
    for tick in 0..=4 {
        let y = y_of(tick * step);
        let _ = write!(
            svg,
            r#"<line class="chart-grid" x1="{left}" x2="{right}" y1="{y}" y2="{y}" stroke="currentColor" stroke-width="1" stroke-opacity="0.25"/><text class="chart-tick" x="{tx}" y="{ty}" text-anchor="end" fill="currentColor">{value}</text>"#,
            tx = left - 8,
            ty = y + 5,
            value = group_digits(tick * step),
        );
    }
    // Month labels are about 4.5em wide; show as many as fit without
    // overlapping, always including the first and the last.
    let every = (count * 72).div_ceil((right - left).max(1)).max(1);
    for (index, (label, _, _)) in (0_u64..).zip(series) {
        if index % every == 0 || index + 1 == count {
            let _ = write!(
                svg,
                r#"<text class="chart-tick" x="{x}" y="{y}" text-anchor="middle" fill="currentColor">{label}</text>"#,
                x = x_of(index),
                y = bottom + 22,
                label = escape(label),
            );
        }
    }
    let _ = write!(
        svg,
        r#"<path class="chart-axis" d="M{left} {top}V{bottom}H{right}" fill="none" stroke="currentColor" stroke-width="1"/>"#
    );
}

/// The opening of a chart: the root element, its title and description.
fn open_svg(title: &str, description: &str, id: &str, height: u64, kind: &str) -> String {
    let id = escape(id);
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart {kind}" role="img" aria-labelledby="{id}-title {id}-desc" viewBox="0 0 {WIDTH} {height}" width="100%" font-size="{FONT_SIZE}"><title id="{id}-title">{title}</title><desc id="{id}-desc">{description}</desc>"#,
        title = escape(title),
        description = escape(description),
    )
}

/// A chart without data: its title and description, and a message.
fn empty_chart(title: &str, description: &str, id: &str) -> String {
    let mut svg = open_svg(title, description, id, 64, "chart-empty");
    let _ = write!(
        svg,
        r#"<rect class="chart-frame" x="1" y="1" width="{w}" height="62" fill="none" stroke="currentColor" stroke-width="1" stroke-dasharray="4 4"/><text class="chart-message" x="{x}" y="37" text-anchor="middle" fill="currentColor">{EMPTY_MESSAGE}</text></svg>"#,
        w = WIDTH - 2,
        x = WIDTH / 2,
    );
    svg
}

/// `value / max` of `length`, rounded down; zero when `max` is zero.
fn scaled(value: u64, max: u64, length: u64) -> u64 {
    if max == 0 {
        return 0;
    }
    let scaled = u128::from(value.min(max)) * u128::from(length) / u128::from(max);
    u64::try_from(scaled).unwrap_or(length)
}

/// The smallest of 1, 2, 5, 10, 20, 50, … that is at least `at_least`.
fn nice_step(at_least: u64) -> u64 {
    let mut power = 1_u64;
    loop {
        for factor in [1, 2, 5] {
            let step = factor * power;
            if step >= at_least {
                return step;
            }
        }
        match power.checked_mul(10) {
            Some(next) => power = next,
            None => return at_least,
        }
    }
}

/// Roughly how wide `text` is drawn at the chart's font size: Chinese
/// characters are a full em, others about half.
fn text_width(text: &str) -> u64 {
    text.chars()
        .map(|c| {
            if u32::from(c) >= 0x2E80 {
                FONT_SIZE
            } else {
                FONT_SIZE * 4 / 7
            }
        })
        .sum()
}

/// `12345` as `12,345`.
pub(crate) fn group_digits(value: u64) -> String {
    let digits = value.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

/// Escapes text for XML content and attribute values.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            _ => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    #![expect(clippy::unwrap_used, reason = "tests")]

    use super::*;

    /// Checks that `svg` is well-formed enough for a browser's XML parser:
    /// tags balance, attribute values are quoted, text holds no raw `<` and
    /// every `&` starts one of the five entities.
    fn assert_well_formed(svg: &str) {
        assert!(svg.starts_with("<svg "), "{svg}");
        assert!(svg.ends_with("</svg>"), "{svg}");
        let mut stack: Vec<String> = Vec::new();
        let mut rest = svg;
        while let Some(open) = rest.find('<') {
            assert_entities(&rest[..open]);
            let close = rest[open..].find('>').unwrap() + open;
            let tag = &rest[open + 1..close];
            assert!(!tag.contains('<'), "{tag}");
            assert_eq!(tag.matches('"').count() % 2, 0, "{tag}");
            assert_entities(tag);
            if let Some(name) = tag.strip_prefix('/') {
                assert_eq!(stack.pop().as_deref(), Some(name), "closing {name}");
            } else if !tag.ends_with('/') {
                let name = tag.split_whitespace().next().unwrap();
                stack.push(name.to_owned());
            }
            rest = &rest[close + 1..];
            if stack.is_empty() {
                assert_eq!(rest, "", "content after the root");
            }
        }
        assert!(stack.is_empty(), "unclosed {stack:?}");
        assert_eq!(svg.matches("<svg").count(), svg.matches("</svg>").count());
    }

    fn assert_entities(text: &str) {
        for (index, _) in text.match_indices('&') {
            let after = &text[index..];
            assert!(
                ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"]
                    .iter()
                    .any(|entity| after.starts_with(entity)),
                "bare & in {text}"
            );
        }
    }

    /// The `width` of every achieved bar, in order.
    fn bar_widths(svg: &str) -> Vec<u64> {
        svg.split(r#"class="chart-bar-achieved""#)
            .skip(1)
            .map(|rest| {
                let start = rest.find(r#"width=""#).unwrap() + 7;
                let end = rest[start..].find('"').unwrap() + start;
                rest[start..end].parse().unwrap()
            })
            .collect()
    }

    fn bars(rows: &[(&str, u64, Option<u64>)]) -> Vec<(String, u64, Option<u64>)> {
        rows.iter()
            .map(|(label, value, target)| ((*label).to_owned(), *value, *target))
            .collect()
    }

    #[test]
    fn bar_chart_names_itself_and_escapes_text() {
        let svg = bar_chart(
            "完成 <进度> & \"目标\"",
            "Tom's <desc> & more",
            &bars(&[
                ("和平区 <&>", 120, Some(300)),
                ("滨海新区", 2_000, Some(2_000)),
            ]),
            "by-district",
        );
        assert_well_formed(&svg);
        assert!(svg.contains(r#"role="img""#));
        assert!(svg.contains(r#"aria-labelledby="by-district-title by-district-desc""#));
        assert!(svg.contains(
            r#"<title id="by-district-title">完成 &lt;进度&gt; &amp; &quot;目标&quot;</title>"#
        ));
        assert!(
            svg.contains(
                r#"<desc id="by-district-desc">Tom&apos;s &lt;desc&gt; &amp; more</desc>"#
            )
        );
        assert!(svg.contains("和平区 &lt;&amp;&gt;"));
        assert!(svg.contains("120 / 300"));
        assert!(svg.contains("2,000 / 2,000"));
        assert!(svg.contains(ACHIEVED) && svg.contains(TARGET));
        assert!(svg.contains(r#"fill="currentColor""#));
        assert_eq!(svg.matches(r#"class="chart-target""#).count(), 2);
    }

    #[test]
    fn bar_widths_scale_with_values() {
        type Case = (&'static [(&'static str, u64, Option<u64>)], &'static [u64]);
        let cases: [Case; 4] = [
            (
                &[("a", 100, None), ("b", 50, None), ("c", 25, None)],
                &[4, 2, 1],
            ),
            (&[("a", 10, Some(40)), ("b", 20, Some(40))], &[1, 2]),
            (&[("a", 0, None), ("b", 0, Some(0))], &[0, 0]),
            (&[("a", 0, Some(10)), ("b", 5, None)], &[0, 1]),
        ];
        for (rows, ratios) in cases {
            let svg = bar_chart("t", "d", &bars(rows), "c");
            assert_well_formed(&svg);
            let widths = bar_widths(&svg);
            assert_eq!(widths.len(), rows.len());
            // Each width is the largest one's in proportion, to a pixel.
            let largest = widths.iter().zip(ratios).max_by_key(|(_, r)| **r).unwrap();
            for (width, ratio) in widths.iter().zip(ratios.iter()) {
                let expected = largest.0 * ratio / (*largest.1).max(1);
                assert!(
                    width.abs_diff(expected) <= 1,
                    "{widths:?} against {ratios:?}"
                );
            }
        }
    }

    #[test]
    fn zero_values_render_with_their_number() {
        let svg = bar_chart("t", "d", &bars(&[("和平区", 0, None)]), "z");
        assert_well_formed(&svg);
        assert_eq!(bar_widths(&svg), vec![0]);
        assert!(svg.contains(">0</text>"));
    }

    #[test]
    fn empty_input_renders_an_empty_state() {
        for svg in [
            bar_chart("标题", "说明", &[], "e1"),
            line_chart("标题", "说明", &[], 100, Some((1, 2, 3)), "e2"),
        ] {
            assert_well_formed(&svg);
            assert!(svg.contains(EMPTY_MESSAGE));
            assert!(svg.contains("<title id=") && svg.contains("<desc id="));
            assert!(!svg.contains("chart-bar-achieved") && !svg.contains("polyline"));
        }
    }

    #[test]
    fn no_text_is_smaller_than_12px() {
        let svg = line_chart(
            "t",
            "d",
            &[
                ("2022-01".to_owned(), 10, Some(12)),
                ("2022-02".to_owned(), 20, Some(24)),
            ],
            60,
            Some((30, 40, 50)),
            "s",
        );
        for size in svg.split("font-size=\"").skip(1) {
            let size: u64 = size[..size.find('"').unwrap()].parse().unwrap();
            assert!(size >= 12);
        }
        assert!(svg.contains(r#"font-size="14""#));
    }

    fn months(values: &[(u64, Option<u64>)]) -> Vec<(String, u64, Option<u64>)> {
        (1..)
            .zip(values)
            .map(|(month, (achieved, expected))| (format!("2022-{month:02}"), *achieved, *expected))
            .collect()
    }

    #[test]
    fn line_chart_draws_achieved_expected_and_the_band() {
        let series = months(&[
            (400, Some(417)),
            (800, Some(833)),
            (1_200, Some(1_250)),
            (1_500, None),
        ]);
        let svg = line_chart(
            "累计 & 预期",
            "<desc>",
            &series,
            15_000,
            Some((13_000, 14_000, 15_000)),
            "trend",
        );
        assert_well_formed(&svg);
        assert!(svg.contains(r#"aria-labelledby="trend-title trend-desc""#));
        assert!(svg.contains("累计 &amp; 预期") && svg.contains("&lt;desc&gt;"));
        assert_eq!(svg.matches("chart-achieved-point").count(), 4);
        // Three expected points: the month without one is skipped.
        let expected = svg
            .split(r#"class="chart-expected" points=""#)
            .nth(1)
            .unwrap();
        assert_eq!(
            expected[..expected.find('"').unwrap()].split(' ').count(),
            3
        );
        assert!(svg.contains("chart-projection-band") && svg.contains("14,000"));
        assert!(svg.contains("2022-01") && svg.contains("2022-04"));
        // The axis reaches a round number above the band: 4 × 5,000.
        assert!(svg.contains(">20,000</text>"));
        assert_eq!(svg.matches(r#"class="chart-target""#).count(), 1);
        assert!(svg.contains(">15,000</text>"));
    }

    #[test]
    fn line_chart_handles_one_month_and_zeros() {
        for (series, projection) in [
            (months(&[(0, Some(0))]), None),
            (months(&[(0, None), (0, None), (0, None)]), Some((0, 0, 0))),
            (months(&[(5, Some(5))]), Some((5, 60, 120))),
        ] {
            let svg = line_chart("t", "d", &series, 0, projection, "one");
            assert!(!svg.contains("chart-target"));
            assert_well_formed(&svg);
            assert_eq!(svg.matches("chart-achieved-point").count(), series.len());
            assert_eq!(svg.contains("chart-projection-band"), projection.is_some());
        }
    }

    #[test]
    fn long_series_thin_out_their_month_labels() {
        let series = months(&[(1, None); 36]);
        let svg = line_chart("t", "d", &series, 15_000, None, "long");
        assert_well_formed(&svg);
        let labels = svg
            .matches("text-anchor=\"middle\" fill=\"currentColor\">2022-")
            .count();
        assert!((3..36).contains(&labels), "{labels}");
    }

    #[test]
    fn helpers() {
        assert_eq!(
            escape(r#"<a href="x">&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;"
        );
        assert_eq!(group_digits(0), "0");
        assert_eq!(group_digits(999), "999");
        assert_eq!(group_digits(15_000), "15,000");
        assert_eq!(group_digits(1_234_567), "1,234,567");
        let steps: Vec<u64> = [0, 1, 3, 7, 11, 3_750, 4_000]
            .iter()
            .map(|n| nice_step(*n))
            .collect();
        assert_eq!(steps, [1, 1, 5, 10, 20, 5_000, 5_000]);
        assert_eq!(scaled(5, 0, 100), 0);
        assert_eq!(scaled(u64::MAX, u64::MAX, 400), 400);
    }
}
