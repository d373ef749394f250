//! The report as a PNG chart: attendance by activity group (the female part drawn in its
//! own colour inside each bar) and, for a period longer than a month, by month.
//!
//! The font is DejaVu Sans, embedded in the binary (`assets/fonts/`, with its licence),
//! because Vietnamese needs stacked diacritics (ệ, ữ, ở) that a server's fonts may lack,
//! and a bot on a Raspberry Pi should not depend on what fonts are installed. plotters
//! draws it through ab_glyph, with no system font lookup.

use super::labels;
use super::table::ReportTable;
use super::xlsx::plain_text;
use super::FileError;
use crate::dialog::Catalog;
use crate::domain::{Lang, Period, Totals};
use crate::format::{format_count, format_date};
use chrono::{Datelike, Months, NaiveDate};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// DejaVu Sans (Bitstream Vera licence, see `assets/fonts/DejaVu-LICENSE.txt`).
const FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
/// The family name the font is registered under with plotters.
const FAMILY: &str = "sans-serif";

const WIDTH: u32 = 1200;
const MARGIN: i32 = 24;
/// Room for the group names left of the bars.
const LABEL_WIDTH: i32 = 330;
/// Room right of the bars for the numbers.
const VALUE_WIDTH: i32 = 220;
const ROW_HEIGHT: i32 = 40;
const BAR_HEIGHT: i32 = 24;
const MONTH_PANEL_HEIGHT: i32 = 400;
/// Longest label drawn, in characters, so that a long name never runs into the bars.
const MAX_LABEL_CHARS: usize = 30;

const FEMALE_COLOUR: RGBColor = RGBColor(0xC2, 0x18, 0x5B);
const OTHERS_COLOUR: RGBColor = RGBColor(0x90, 0xCA, 0xF9);
const GRID_COLOUR: RGBColor = RGBColor(0xDD, 0xDD, 0xDD);
const TEXT_COLOUR: RGBColor = RGBColor(0x21, 0x21, 0x21);

/// Everything the chart shows.
#[derive(Debug, Clone, Copy)]
pub struct ChartReport<'a> {
    pub catalog: &'a Catalog,
    /// Table III.2 (`report::build`): one bar per row.
    pub table: &'a ReportTable,
    /// Attendance per month, keyed by the month's first day (`View::month_totals`); months
    /// of the period that are missing are drawn as zero.
    pub months: &'a BTreeMap<NaiveDate, Totals>,
    pub centre_name: &'a str,
    pub period: Period,
    pub lang: Lang,
}

/// The chart as the bytes of a PNG file.
pub fn chart(report: &ChartReport<'_>) -> Result<Vec<u8>, FileError> {
    register_font()?;
    let months = months_of(report.period);
    let by_month = months.len() > 1;
    let rows = i32::try_from(report.table.rows.len()).unwrap_or(i32::MAX / ROW_HEIGHT);
    let groups_height = 120 + rows * ROW_HEIGHT + 20;
    let height = groups_height + if by_month { MONTH_PANEL_HEIGHT } else { 0 };
    let height = u32::try_from(height).unwrap_or(2_000);
    let mut pixels = vec![0u8; (WIDTH * height * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).map_err(chart_error)?;
        let (top, bottom) = root.split_vertically(groups_height);
        draw_groups(&top, report).map_err(chart_error)?;
        if by_month {
            draw_months(&bottom, report, &months).map_err(chart_error)?;
        }
        root.present().map_err(chart_error)?;
    }
    encode_png(&pixels, WIDTH, height)
}

/// Registers the embedded font once per process.
fn register_font() -> Result<(), FileError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| {
        register_font_bytes(FontStyle::Normal) && register_font_bytes(FontStyle::Bold)
    });
    if ok {
        Ok(())
    } else {
        Err(FileError::Chart(
            "the embedded font cannot be read".to_owned(),
        ))
    }
}

fn register_font_bytes(style: FontStyle) -> bool {
    plotters::style::register_font(FAMILY, style, FONT).is_ok()
}

fn chart_error(error: impl std::fmt::Display) -> FileError {
    FileError::Chart(error.to_string())
}

fn text(size: u32, pos: Pos) -> TextStyle<'static> {
    TextStyle::from((FAMILY, size).into_font())
        .color(&TEXT_COLOUR)
        .pos(pos)
}

fn left() -> Pos {
    Pos::new(HPos::Left, VPos::Center)
}

type Area<'a> = DrawingArea<BitMapBackend<'a>, plotters::coord::Shift>;
type DrawResult<'a> =
    Result<(), DrawingAreaErrorKind<<BitMapBackend<'a> as DrawingBackend>::ErrorType>>;

/// The title, the legend and one horizontal bar per activity group.
fn draw_groups<'a>(area: &Area<'a>, report: &ChartReport<'_>) -> DrawResult<'a> {
    let lang = report.lang;
    let title = labels::CHART_BY_GROUP.get(lang);
    area.draw(&Text::new(title.to_owned(), (MARGIN, 28), text(24, left())))?;
    let centre = plain_text(
        report.catalog,
        "report.centre",
        lang,
        &[("centre", report.centre_name)],
    );
    let subtitle = format!(
        "{} · {} – {}",
        truncate(&centre, 60),
        format_date(report.period.from),
        format_date(report.period.to)
    );
    area.draw(&Text::new(subtitle, (MARGIN, 60), text(16, left())))?;
    draw_legend(area, lang, 92)?;

    let bars_left = MARGIN + LABEL_WIDTH;
    let bars_width = WIDTH as i32 - bars_left - VALUE_WIDTH - MARGIN;
    let max = report
        .table
        .rows
        .iter()
        .map(|r| r.totals.attendance)
        .max()
        .unwrap_or(0)
        .max(1);
    for (i, row) in report.table.rows.iter().enumerate() {
        let y = 120 + i32::try_from(i).unwrap_or(0) * ROW_HEIGHT;
        let middle = y + ROW_HEIGHT / 2;
        // Buttons use the short names, and they fit; a group the catalog no longer has
        // only has the name the table gave it.
        let name = report
            .catalog
            .group(&row.group)
            .map_or(row.official_name.as_str(), |g| g.short.get(lang));
        let label = format!("{}. {}", row.number, truncate(name, MAX_LABEL_CHARS));
        area.draw(&Text::new(label, (MARGIN, middle), text(16, left())))?;
        let total = scale(row.totals.attendance, max, bars_width);
        let female = scale(
            row.totals.female.min(row.totals.attendance),
            max,
            bars_width,
        );
        let (top, bottom) = (middle - BAR_HEIGHT / 2, middle + BAR_HEIGHT / 2);
        area.draw(&Rectangle::new(
            [(bars_left, top), (bars_left + total, bottom)],
            OTHERS_COLOUR.filled(),
        ))?;
        area.draw(&Rectangle::new(
            [(bars_left, top), (bars_left + female, bottom)],
            FEMALE_COLOUR.filled(),
        ))?;
        let value = format!(
            "{} ({} {})",
            format_count(row.totals.attendance, lang),
            labels::FEMALE.get(lang).to_lowercase(),
            format_count(row.totals.female, lang)
        );
        area.draw(&Text::new(
            value,
            (bars_left + total + 8, middle),
            text(15, left()),
        ))?;
    }
    Ok(())
}

/// The two colour keys, "Nữ" and "Nam", at height `y`.
fn draw_legend<'a>(area: &Area<'a>, lang: Lang, y: i32) -> DrawResult<'a> {
    let mut x = MARGIN;
    for (colour, label) in [
        (FEMALE_COLOUR, labels::FEMALE.get(lang)),
        (OTHERS_COLOUR, labels::OTHERS.get(lang)),
    ] {
        area.draw(&Rectangle::new(
            [(x, y - 8), (x + 16, y + 8)],
            colour.filled(),
        ))?;
        area.draw(&Text::new(label.to_owned(), (x + 22, y), text(16, left())))?;
        x += 120;
    }
    Ok(())
}

/// Vertical bars per month of the period, the female part at the bottom of each.
fn draw_months<'a>(
    area: &Area<'a>,
    report: &ChartReport<'_>,
    months: &[NaiveDate],
) -> DrawResult<'a> {
    let lang = report.lang;
    area.draw(&Text::new(
        labels::CHART_BY_MONTH.get(lang).to_owned(),
        (MARGIN, 24),
        text(24, left()),
    ))?;
    let (plot_left, plot_right) = (MARGIN + 80, WIDTH as i32 - MARGIN);
    let (plot_top, plot_bottom) = (60, MONTH_PANEL_HEIGHT - 50);
    let values: Vec<Totals> = months
        .iter()
        .map(|m| report.months.get(m).copied().unwrap_or_default())
        .collect();
    let max = nice_ceiling(values.iter().map(|t| t.attendance).max().unwrap_or(0));
    let height = plot_bottom - plot_top;
    // Four grid lines with their values, so bars can be read without labels on each.
    for step in 0..=4u64 {
        let value = max / 4 * step;
        let y = plot_bottom - scale(value, max, height);
        area.draw(&PathElement::new(
            vec![(plot_left, y), (plot_right, y)],
            GRID_COLOUR.stroke_width(1),
        ))?;
        area.draw(&Text::new(
            format_count(value, lang),
            (plot_left - 8, y),
            text(14, Pos::new(HPos::Right, VPos::Center)),
        ))?;
    }
    let count = i32::try_from(months.len()).unwrap_or(i32::MAX).max(1);
    let slot = (plot_right - plot_left) / count;
    let bar = (slot * 2 / 3).max(2);
    // Month labels thin out when there are many months, so they never overlap.
    let label_every = usize::try_from((70 / slot.max(1)) + 1).unwrap_or(1);
    for (i, (month, totals)) in months.iter().zip(&values).enumerate() {
        let x = plot_left + i32::try_from(i).unwrap_or(0) * slot + (slot - bar) / 2;
        let total = scale(totals.attendance, max, height);
        let female = scale(totals.female.min(totals.attendance), max, height);
        area.draw(&Rectangle::new(
            [(x, plot_bottom - total), (x + bar, plot_bottom)],
            OTHERS_COLOUR.filled(),
        ))?;
        area.draw(&Rectangle::new(
            [(x, plot_bottom - female), (x + bar, plot_bottom)],
            FEMALE_COLOUR.filled(),
        ))?;
        if i % label_every == 0 {
            area.draw(&Text::new(
                month.format("%m/%Y").to_string(),
                (x + bar / 2, plot_bottom + 16),
                text(13, Pos::new(HPos::Center, VPos::Center)),
            ))?;
        }
    }
    Ok(())
}

/// `value` as pixels of a bar whose full length `pixels` stands for `max`.
fn scale(value: u64, max: u64, pixels: i32) -> i32 {
    if max == 0 {
        return 0;
    }
    let scaled = u128::from(value) * u128::from(pixels.max(0).unsigned_abs()) / u128::from(max);
    i32::try_from(scaled).unwrap_or(pixels)
}

/// The smallest "round" number (1, 2 or 5 times a power of ten, times 4 so the four grid
/// lines fall on whole numbers) at or above `value`.
fn nice_ceiling(value: u64) -> u64 {
    let mut unit = 1u64;
    loop {
        for factor in [1, 2, 5] {
            let candidate = unit.saturating_mul(factor).saturating_mul(4);
            if candidate >= value || candidate == u64::MAX {
                return candidate;
            }
        }
        unit = unit.saturating_mul(10);
    }
}

/// The first day of each calendar month the period touches, in order.
fn months_of(period: Period) -> Vec<NaiveDate> {
    let mut months = Vec::new();
    let mut month = period.from.with_day(1).unwrap_or(period.from);
    while month <= period.to && months.len() < 1_200 {
        months.push(month);
        match month.checked_add_months(Months::new(1)) {
            Some(next) => month = next,
            None => break,
        }
    }
    months
}

/// `text` cut to `max` characters with `…`.
fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

fn encode_png(pixels: &[u8], width: u32, height: u32) -> Result<Vec<u8>, FileError> {
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().map_err(chart_error)?;
        writer.write_image_data(pixels).map_err(chart_error)?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    #[test]
    fn months_cover_the_period() {
        let period = Period::new(date(2020, 1, 15), date(2020, 10, 3)).expect("period");
        let months = months_of(period);
        assert_eq!(months.len(), 10);
        assert_eq!(months[0], date(2020, 1, 1));
        assert_eq!(months[9], date(2020, 10, 1));
        let one = Period::new(date(2020, 3, 1), date(2020, 3, 31)).expect("period");
        assert_eq!(months_of(one), vec![date(2020, 3, 1)]);
    }

    #[test]
    fn scales_and_ceilings_are_sane() {
        assert_eq!(scale(50, 100, 200), 100);
        assert_eq!(scale(5, 0, 200), 0);
        assert_eq!(scale(u64::MAX, u64::MAX, 300), 300);
        assert_eq!(nice_ceiling(0), 4);
        assert_eq!(nice_ceiling(5_568), 8_000);
        assert_eq!(nice_ceiling(3_000), 4_000);
        assert!(nice_ceiling(u64::MAX) >= u64::MAX / 2);
    }
}
