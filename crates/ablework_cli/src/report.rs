//! `ablework report progress`: the city's progress against the plan, the
//! same figures as the dashboard and `GET /api/v1/progress`.

use ablework_app::progress::ProgressQuery;
use ablework_app::{Actor, App};
use ablework_domain::district;
use ablework_domain::lang::Lang;
use ablework_domain::outcome::Measure;

use crate::config::Failure;

/// Prints the report a query asks for (the default plan, the whole city,
/// when it names neither): JSON on stdout with `json`, else a readable
/// summary.
pub async fn progress(
    app: &App,
    query: &ProgressQuery,
    json: bool,
    lang: Lang,
) -> Result<(), Failure> {
    let report = app
        .progress_report(&Actor::operator(None), query)
        .await
        .map_err(Failure::from_app)?;
    if json {
        let text = serde_json::to_string(&report).map_err(|e| Failure::Failed(e.to_string()))?;
        println!("{text}");
        return Ok(());
    }
    let zh = lang == Lang::Zh;
    let name = if zh {
        &report.plan_name_zh
    } else {
        &report.plan_name_en
    };
    println!("{name} ({} – {})", report.start, report.end);
    let share = f64::from(report.achieved) * 100.0 / f64::from(report.target.max(1));
    if zh {
        println!(
            "目标 {}，已实现 {}（{share:.1}%），截至 {} 应完成 {}",
            report.target, report.achieved, report.today, report.expected_to_date
        );
    } else {
        println!(
            "Target {}, achieved {} ({share:.1}%), expected by {}: {}",
            report.target, report.achieved, report.today, report.expected_to_date
        );
    }
    if let Some(projection) = &report.projection {
        println!(
            "{} {} ({}–{})",
            if zh {
                "预计期末完成"
            } else {
                "Projected by the end:"
            },
            projection.projected_total,
            projection.low,
            projection.high
        );
    }
    println!();
    for row in &report.by_year {
        println!("{:<12} {:>7} / {:<7}", row.year, row.achieved, row.target);
    }
    println!();
    for row in &report.by_district {
        let label = district::by_code(&row.code).map_or(row.code.as_str(), |d| d.name(lang));
        println!(
            "{label:<12} {:>7} / {:<7} {:?}",
            row.achieved, row.target, row.status
        );
    }
    println!();
    for row in &report.by_measure {
        let label = Measure::from_code(&row.code).map_or(row.code.as_str(), |m| m.label(lang));
        println!("{label:<24} {:>7} / {:<7}", row.achieved, row.target);
    }
    Ok(())
}
